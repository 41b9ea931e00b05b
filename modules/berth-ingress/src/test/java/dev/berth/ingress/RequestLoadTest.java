package dev.berth.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** What the ingress counts: per revision over time, and per replica address for draining. */
class RequestLoadTest {

  private final AtomicLong nanos = new AtomicLong();
  private final RequestLoad load = new RequestLoad(nanos::get);

  @Test
  void aRevisionsMeanIsWeightedByHowLongEachCountLasted() {
    load.started("r");
    nanos.addAndGet(1_000);
    load.started("r");
    nanos.addAndGet(1_000);
    load.ended("r");
    load.ended("r");
    nanos.addAndGet(2_000);

    RequestLoad.Sample sample = load.sample("r");

    // 1 for 1 µs, 2 for 1 µs, 0 for 2 µs: (1 + 2 + 0 + 0) / 4.
    assertThat(sample.mean()).isEqualTo(0.75);
    assertThat(sample.now()).isZero();
    assertThat(load.sample("never")).isEqualTo(RequestLoad.Sample.IDLE);
  }

  @Test
  void aDrainingAddressIsNotClaimedAndALateEndStillBalancesOnceTheAddressServesAgain()
      throws Exception {
    assertThat(load.claim("10.0.0.2")).isTrue();
    assertThat(load.drain("10.0.0.2", Duration.ZERO)).isFalse();
    assertThat(load.claim("10.0.0.2")).isFalse();

    // A new replica gets the address and a request while the old one's is still in flight.
    load.drained("10.0.0.2");
    assertThat(load.claim("10.0.0.2")).isTrue();
    load.release("10.0.0.2"); // the old replica's request ends late

    assertThat(load.inFlightTo("10.0.0.2")).as("the new replica's request").isEqualTo(1);
    assertThat(load.drain("10.0.0.2", Duration.ZERO)).as("a drain waits for it").isFalse();
  }
}
