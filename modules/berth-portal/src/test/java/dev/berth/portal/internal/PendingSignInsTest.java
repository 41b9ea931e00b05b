package dev.berth.portal.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PendingSignInsTest {

  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-06T12:00:00Z"));
  private final PendingSignIns pending = new PendingSignIns(clock);

  @Test
  void theBrowserThatStartedASignInTakesItOnce() {
    PendingSignIns.Pending p = pending.start("browser-a", "/portal").orElseThrow();

    assertThat(pending.take(p.state(), "browser-a")).hasValue(p);
    assertThat(pending.take(p.state(), "browser-a")).isEmpty();
  }

  @Test
  void anotherBrowserCannotTakeIt() {
    PendingSignIns.Pending p = pending.start("browser-a", "/portal").orElseThrow();

    assertThat(pending.take(p.state(), "browser-b")).isEmpty();
    assertThat(pending.take(p.state(), null)).isEmpty();
    // Tried once with the wrong cookie, the state is spent.
    assertThat(pending.take(p.state(), "browser-a")).isEmpty();
  }

  @Test
  void aSignInLastsTenMinutes() {
    PendingSignIns.Pending late = pending.start("b", "/portal").orElseThrow();
    PendingSignIns.Pending inTime = pending.start("b", "/portal").orElseThrow();

    clock.advance(Duration.ofMinutes(9));
    assertThat(pending.take(inTime.state(), "b")).isPresent();
    clock.advance(Duration.ofMinutes(1));
    assertThat(pending.take(late.state(), "b")).isEmpty();
  }

  @Test
  void atMostMaxAreUnderWayAndEndedOnesMakeRoom() {
    for (int i = 0; i < PendingSignIns.MAX; i++) {
      assertThat(pending.start("b", "/portal")).isPresent();
    }
    assertThat(pending.start("b", "/portal")).isEmpty();

    clock.advance(PendingSignIns.LIFE);
    assertThat(pending.start("b", "/portal")).isPresent();
    assertThat(pending.size()).isEqualTo(1);
  }

  @Test
  void eachSignInHasItsOwnStateNonceAndVerifier() {
    PendingSignIns.Pending a = pending.start("b", "/portal").orElseThrow();
    PendingSignIns.Pending b = pending.start("b", "/portal").orElseThrow();

    assertThat(a.state()).isNotEqualTo(b.state()).matches("[A-Za-z0-9_-]{43}");
    assertThat(a.nonce()).isNotEqualTo(b.nonce());
    assertThat(a.pkce().verifier()).isNotEqualTo(b.pkce().verifier());
    assertThat(a.toString()).doesNotContain(a.state()).doesNotContain(a.pkce().verifier());
  }
}
