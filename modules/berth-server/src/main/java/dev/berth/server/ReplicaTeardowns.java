package dev.berth.server;

import dev.berth.api.ResourceId;
import dev.berth.controlplane.providers.app.AppTeardown;
import dev.berth.reconciler.Reconciler;
import java.time.Duration;

/**
 * The app deletes' teardown port, filled by the reconciler once it exists (the ARM layer is built
 * first): nothing to wait for until then and with {@code --runtime none}. Thread-safe.
 */
final class ReplicaTeardowns implements AppTeardown {

  private volatile Reconciler reconciler;

  void attach(Reconciler reconciler) {
    this.reconciler = reconciler;
  }

  @Override
  public boolean awaitGone(ResourceId app, Duration within) throws InterruptedException {
    Reconciler r = reconciler;
    return r == null || r.awaitNoReplicasUnder(app, within);
  }
}
