package dev.berth.reconciler.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * What stopping everything relies on: after {@link WorkQueue#close}, {@link WorkQueue#awaitIdle}
 * returns only once the runs in progress have ended (a pass that was starting a replica has started
 * it), and says so when they do not end in time.
 */
class WorkQueueTest {

  @Test
  void awaitIdleWaitsForTheRunInProgressAfterClose() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    WorkQueue<String> queue =
        new WorkQueue<>(
            "test",
            key -> {
              started.countDown();
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            Clock.systemUTC());
    queue.submit("revision-a");
    assertThat(started.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

    queue.close();

    assertThat(queue.awaitIdle(Duration.ofMillis(200))).as("the run still holds").isFalse();
    release.countDown();
    assertThat(queue.awaitIdle(Duration.ofSeconds(5))).isTrue();
  }

  @Test
  void aClosedQueueStartsNothingNew() throws Exception {
    CountDownLatch ran = new CountDownLatch(1);
    WorkQueue<String> queue = new WorkQueue<>("test", key -> ran.countDown(), Clock.systemUTC());
    queue.close();

    queue.submit("revision-b");

    assertThat(queue.awaitIdle(Duration.ofSeconds(1))).isTrue();
    assertThat(ran.getCount()).isEqualTo(1);
  }
}
