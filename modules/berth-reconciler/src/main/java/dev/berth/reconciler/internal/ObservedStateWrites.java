package dev.berth.reconciler.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ResourceId;
import dev.berth.store.Precondition;
import dev.berth.store.PreconditionFailedException;
import dev.berth.store.ResourceStore;
import dev.berth.store.StoredResource;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Observed-state writes that share documents with the ARM layer: read, change only the reconciler's
 * fields, write with {@code If-Match}, and start over when the ARM layer wrote in between. A change
 * that changes nothing is not written, so the reconciler's own writes do not wake it forever.
 */
public final class ObservedStateWrites {

  public static final ObjectMapper JSON = new ObjectMapper();

  private ObservedStateWrites() {}

  /**
   * Applies {@code change} to the document's {@code properties} and stores it.
   *
   * @return the stored document, or empty when there is none (deleted meanwhile)
   */
  public static Optional<StoredResource> updateProperties(
      ResourceStore store, ResourceId id, Consumer<ObjectNode> change) {
    for (int attempt = 0; ; attempt++) {
      Optional<StoredResource> current = store.get(id);
      if (current.isEmpty()) {
        return Optional.empty();
      }
      ObjectNode body = current.get().body().deepCopy();
      ObjectNode properties =
          body.path("properties") instanceof ObjectNode p ? p : body.putObject("properties");
      change.accept(properties);
      if (body.equals(current.get().body())) {
        return current;
      }
      try {
        return Optional.of(store.put(id, body, Precondition.ifMatch(current.get().etag())));
      } catch (PreconditionFailedException raced) {
        if (attempt > 20) {
          throw raced;
        }
      }
    }
  }
}
