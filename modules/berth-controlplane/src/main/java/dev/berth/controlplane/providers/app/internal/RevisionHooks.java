package dev.berth.controlplane.providers.app.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.berth.api.ArmErrors;
import dev.berth.api.ResourceId;
import dev.berth.api.app.TrafficTable;
import dev.berth.controlplane.ResourceHooks;
import dev.berth.store.Precondition;
import dev.berth.store.PreconditionFailedException;
import dev.berth.store.ResourceStore;
import dev.berth.store.StoredResource;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The view and actions of a revision: its {@code trafficWeight} computed on read ({@link
 * AppTraffic}); {@code activate} and {@code deactivate} set {@code properties.active} (deactivate
 * refused while the revision still gets traffic); {@code restart} bumps the hidden {@code
 * berth.restartGeneration}, which the reconciler answers by replacing the revision's replicas. Each
 * replies with a JSON string ({@code "Activate succeeded"}), as ACA does and {@code az} prints.
 * Thread-safe: writes are read-modify-write on the etag, retried when the reconciler wrote in
 * between.
 *
 * @see <a
 *     href="https://learn.microsoft.com/rest/api/containerapps/container-apps-revisions">Container
 *     Apps Revisions REST API</a>
 */
public final class RevisionHooks implements ResourceHooks {

  private final ResourceStore store;

  public RevisionHooks(ResourceStore store) {
    this.store = store;
  }

  @Override
  public Optional<JsonNode> action(
      String action, ResourceId id, ObjectNode stored, ObjectNode body) {
    Consumer<ObjectNode> change =
        switch (action.toLowerCase(Locale.ROOT)) {
          case "activate" -> doc -> properties(doc).put("active", true);
          case "deactivate" -> {
            AppTraffic.checkDeactivate(store, id);
            yield doc -> properties(doc).put("active", false);
          }
          case "restart" -> Revisions::restart;
          default -> null;
        };
    if (change == null) {
      return Optional.empty();
    }
    update(id, change);
    String verb =
        action.substring(0, 1).toUpperCase(Locale.ROOT)
            + action.substring(1).toLowerCase(Locale.ROOT);
    return Optional.of(TextNode.valueOf(verb + " succeeded"));
  }

  /**
   * The revision with the share of its app's traffic it gets now ({@code trafficWeight}), which the
   * stored document does not hold: it follows the app's rules and its revisions' states.
   */
  @Override
  public ObjectNode view(ResourceId id, ObjectNode doc) {
    return withWeight(id, doc, app -> AppTraffic.table(store, app));
  }

  /** {@link #view} that reads each app's traffic table once for the whole listing. */
  @Override
  public BiFunction<ResourceId, ObjectNode, ObjectNode> listingView() {
    Map<ResourceId, TrafficTable> tables = new HashMap<>();
    return (id, doc) ->
        withWeight(id, doc, app -> tables.computeIfAbsent(app, a -> AppTraffic.table(store, a)));
  }

  private static ObjectNode withWeight(
      ResourceId id, ObjectNode doc, Function<ResourceId, TrafficTable> tableOf) {
    id.parent()
        .ifPresent(
            app -> properties(doc).put("trafficWeight", tableOf.apply(app).weightOf(id.name())));
    return doc;
  }

  private void update(ResourceId id, Consumer<ObjectNode> change) {
    while (true) {
      StoredResource now = store.get(id).orElseThrow(() -> ArmErrors.resourceNotFound(id));
      ObjectNode doc = now.body().deepCopy();
      change.accept(doc);
      try {
        store.put(id, doc, Precondition.ifMatch(now.etag()));
        return;
      } catch (PreconditionFailedException e) {
        // the reconciler updated the revision meanwhile; apply the change to its version
      }
    }
  }

  private static ObjectNode properties(ObjectNode doc) {
    return Fields.object(doc, "properties", "properties");
  }
}
