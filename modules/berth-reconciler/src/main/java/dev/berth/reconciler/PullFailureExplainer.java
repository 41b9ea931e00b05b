package dev.berth.reconciler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.ResourceId;
import dev.berth.runtime.image.ImageReference;
import java.util.Optional;

/**
 * Explains a failed pull in terms of the configuration that caused it (the diagnosis of DESIGN's
 * story, step 7). The text is appended to the revision's {@code provisioningError}.
 */
@FunctionalInterface
public interface PullFailureExplainer {

  PullFailureExplainer NONE = (app, body, container, image, entry, failure) -> "";

  /**
   * @param failure a {@link dev.berth.runtime.image.PullException}, or the refusal that kept the
   *     pull from starting (no such identity, no such secret)
   * @return the explanation, or blank when there is nothing to add
   */
  String explain(
      ResourceId app,
      JsonNode appBody,
      String container,
      ImageReference image,
      Optional<JsonNode> registryEntry,
      Exception failure);
}
