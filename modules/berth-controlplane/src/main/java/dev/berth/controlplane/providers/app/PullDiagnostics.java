package dev.berth.controlplane.providers.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ResourceId;
import java.util.Optional;

/**
 * The pull diagnosis of a revision as it stands now, in its structured form ({@code healthy},
 * {@code findings[]} with {@code code}, {@code resources}, {@code cause}, {@code explanation},
 * {@code fix.berth[]}, {@code fix.az[]}; {@code retry}; {@code text}): what the {@code detectors}
 * resource and {@code berth containerapp diagnose} show. The server fills it from the reconciler,
 * which the control plane may not depend on. Implementations must be thread-safe.
 */
public interface PullDiagnostics {

  /** Nothing runs revisions (Berth started with {@code --runtime none}). */
  PullDiagnostics NONE = revision -> Optional.empty();

  /** The diagnosis; empty when no reconciler runs here to ask. */
  Optional<ObjectNode> diagnose(ResourceId revision);
}
