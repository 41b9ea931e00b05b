package dev.berth.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ResourceId;
import dev.berth.controlplane.providers.app.PullDiagnostics;
import dev.berth.reconciler.Reconciler;
import java.util.Optional;

/**
 * The detectors resource's port, filled by the reconciler once it exists (the ARM layer is built
 * first): empty until then and with {@code --runtime none}. Thread-safe.
 */
final class RevisionDiagnostics implements PullDiagnostics {

  private volatile Reconciler reconciler;

  void attach(Reconciler reconciler) {
    this.reconciler = reconciler;
  }

  @Override
  public Optional<ObjectNode> diagnose(ResourceId revision) {
    Reconciler r = reconciler;
    return r == null ? Optional.empty() : Optional.of(r.diagnose(revision).toJson());
  }
}
