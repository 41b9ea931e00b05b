package dev.berth.reconciler.diagnosis;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.runtime.image.ImageReference;
import dev.berth.runtime.image.PullException;
import dev.berth.store.StoredResource;
import java.util.Objects;
import java.util.Optional;

/**
 * A pull that failed, as the reconciler saw it. Immutable.
 *
 * @param app the container app's stored document ({@code Microsoft.App/containerApps})
 * @param container the name of the container whose image failed
 * @param image the image reference that was pulled
 * @param registryEntry the {@code properties.configuration.registries[]} entry whose {@code server}
 *     matched the image's registry, or empty when none did
 * @param error what the puller threw
 */
public record FailedPull(
    StoredResource app,
    String container,
    ImageReference image,
    Optional<JsonNode> registryEntry,
    PullException error) {

  public FailedPull {
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(container, "container");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(registryEntry, "registryEntry");
    Objects.requireNonNull(error, "error");
  }
}
