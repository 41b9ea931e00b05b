package dev.berth.reconciler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.ResourceId;
import dev.berth.reconciler.diagnosis.Diagnosis;
import dev.berth.reconciler.diagnosis.FailedPull;
import dev.berth.reconciler.diagnosis.PullDiagnosis;
import dev.berth.runtime.image.ImageReference;
import dev.berth.runtime.image.PullException;
import dev.berth.store.ResourceStore;
import java.util.List;
import java.util.Optional;

/**
 * Explains a failed pull in terms of the configuration that caused it (docs/pull-diagnosis.md). The
 * text is appended to the revision's {@code provisioningError}.
 */
@FunctionalInterface
public interface PullFailureExplainer {

  PullFailureExplainer NONE =
      (app, body, container, image, entry, failure) -> new Diagnosis(List.of(), "");

  /**
   * Explains with {@link PullDiagnosis}: what a person would check by hand, checked. A pull that
   * could not even start (the identity is not the app's) counts as refused before any request.
   */
  static PullFailureExplainer diagnosing(PullDiagnosis diagnosis, ResourceStore store) {
    return (app, body, container, image, entry, failure) -> {
      PullException error =
          failure instanceof PullException e
              ? e
              : new PullException(
                  PullException.Reason.UNAUTHORIZED,
                  PullException.Step.EXCHANGE,
                  0,
                  null,
                  failure.getMessage(),
                  failure);
      return store
          .get(app)
          .map(doc -> diagnosis.diagnose(new FailedPull(doc, container, image, entry, error)))
          .orElse(new Diagnosis(List.of(), ""));
    };
  }

  /**
   * @param failure a {@link dev.berth.runtime.image.PullException}, or the refusal that kept the
   *     pull from starting (no such identity, no such secret)
   * @return the explanation; its {@link Diagnosis#render()} is blank when there is nothing to add
   */
  Diagnosis explain(
      ResourceId app,
      JsonNode appBody,
      String container,
      ImageReference image,
      Optional<JsonNode> registryEntry,
      Exception failure);
}
