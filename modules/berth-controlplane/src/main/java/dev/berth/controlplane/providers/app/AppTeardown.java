package dev.berth.controlplane.providers.app;

import dev.berth.api.ResourceId;
import java.time.Duration;

/**
 * Waits until nothing of a deleted container app runs any more, so that its delete operation ends
 * only then, as Container Apps' does: a client that sees {@code Succeeded} may remove what the app
 * used. The server fills it from the reconciler, which the control plane may not depend on.
 * Implementations must be thread-safe.
 */
@FunctionalInterface
public interface AppTeardown {

  /** Nothing runs revisions (Berth started with {@code --runtime none}): nothing to wait for. */
  AppTeardown NONE = (app, within) -> true;

  /**
   * Returns once no replica of {@code app} runs, or after {@code within}.
   *
   * @return false when replicas were still running at the deadline
   */
  boolean awaitGone(ResourceId app, Duration within) throws InterruptedException;
}
