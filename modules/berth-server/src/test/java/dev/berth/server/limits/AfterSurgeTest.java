package dev.berth.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.Test;

/** One full collection once a surge of connections is over, and none for everyday ups and downs. */
class AfterSurgeTest {

  private final AfterSurge afterSurge = new AfterSurge(new Server(), () -> 0, 512);

  @Test
  void collectsOnceWhenASurgeHasBeenOverForFiveSeconds() {
    feed(100, 600, 2000, 4000, 3000);
    feed(40, 40, 40, 40);
    assertThat(afterSurge.collections()).isZero();

    assertThat(afterSurge.check(40)).isTrue();

    feed(40, 40, 40, 40, 40, 40, 40, 40, 40, 40);
    assertThat(afterSurge.collections()).as("not again without a new surge").isEqualTo(1);
  }

  @Test
  void everydayTrafficAndASurgeStillGoingOnCollectNothing() {
    feed(10, 200, 500, 300, 20, 20, 20, 20, 20, 20, 20);
    feed(3000, 400, 400, 400, 400, 400, 400, 400);
    assertThat(afterSurge.collections()).isZero();
  }

  private void feed(int... connections) {
    for (int open : connections) {
      afterSurge.check(open);
    }
  }
}
