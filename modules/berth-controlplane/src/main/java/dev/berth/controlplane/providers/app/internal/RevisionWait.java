package dev.berth.controlplane.providers.app.internal;

import dev.berth.api.ArmErrorCode;
import dev.berth.api.ArmException;
import dev.berth.api.ResourceId;
import dev.berth.api.app.Revision;
import dev.berth.store.ResourceStore;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The long-running part of a container app write: waits until the revision it created {@link
 * Revision#isRunning runs} (success) or {@link Revision#hasFailed has failed} (the operation fails
 * with {@code ContainerAppOperationError} and the revision's {@code provisioningError}), woken by
 * {@link ResourceStore#watch} and polling once a second in case a wake-up is missed; gives up after
 * the timeout with ACA's "Operation expired." Thread-safe.
 *
 * @see <a href="https://learn.microsoft.com/azure/container-apps/troubleshooting">ACA
 *     troubleshooting: "Failed to provision revision"</a>
 */
final class RevisionWait {

  private static final Duration POLL = Duration.ofSeconds(1);

  private final ResourceStore store;
  private final Duration timeout;

  RevisionWait(ResourceStore store, Duration timeout) {
    this.store = store;
    this.timeout = timeout;
  }

  /**
   * Returns when {@code revision} runs, or at once with a zero timeout (nothing runs revisions);
   * throws {@code ContainerAppOperationError} otherwise.
   */
  void untilRunning(ResourceId app, ResourceId revision) throws Exception {
    if (timeout.isZero()) {
      return;
    }
    Semaphore wake = new Semaphore(0);
    long deadline = System.nanoTime() + timeout.toNanos();
    try (AutoCloseable watch =
        store.watch(
            id -> {
              if (revision.contains(id) || id.contains(revision)) {
                wake.release();
              }
            })) {
      while (true) {
        Optional<Revision> now = store.get(revision).map(r -> Revision.of(r.id(), r.body()));
        if (now.isEmpty()) {
          throw failed(app, "The revision '" + revision.name() + "' was deleted.");
        }
        if (now.get().hasFailed()) {
          throw failed(app, now.get().provisioningError().orElse("Provisioning failed."));
        }
        if (now.get().isRunning()) {
          return;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw failed(app, "Operation expired.");
        }
        wake.tryAcquire(Math.min(left, POLL.toNanos()), TimeUnit.NANOSECONDS);
        wake.drainPermits();
      }
    }
  }

  private static ArmException failed(ResourceId app, String details) {
    return ArmException.of(
        ArmErrorCode.ContainerAppOperationError,
        "Failed to provision revision for container app '"
            + app.name()
            + "'. Error details: "
            + details);
  }
}
