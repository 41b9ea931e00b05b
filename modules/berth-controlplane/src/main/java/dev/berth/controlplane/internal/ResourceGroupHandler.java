package dev.berth.controlplane.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ArmErrorCode;
import dev.berth.api.ArmException;
import dev.berth.api.ResourceId;
import dev.berth.controlplane.ResourceType;
import dev.berth.http.Json;
import dev.berth.store.Precondition;
import dev.berth.store.Query;
import dev.berth.store.ResourceStore;
import dev.berth.store.StoredResource;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code Microsoft.Resources/resourceGroups}: PUT, GET, HEAD (checkExistence), PATCH (tags), list,
 * and DELETE as a long-running operation that removes the group and everything in it. Thread-safe.
 */
public final class ResourceGroupHandler {

  private static final Logger LOG = LoggerFactory.getLogger(ResourceGroupHandler.class);

  /** ARM: 1–90 letters, digits, {@code -_.()}, and not ending in a period. */
  private static final Pattern NAME_CHAR =
      Pattern.compile("[-\\w._()]", Pattern.UNICODE_CHARACTER_CLASS);

  private final ResourceStore store;
  private final Writes writes;
  private final Operations operations;
  private final ResourceTypes types;

  public ResourceGroupHandler(
      ResourceStore store, Writes writes, Operations operations, ResourceTypes types) {
    this.store = store;
    this.writes = writes;
    this.operations = operations;
    this.types = types;
  }

  /**
   * The group named by the path, after ARM's name rule ({@code InvalidResourceGroup} otherwise).
   */
  static ResourceId id(ArmCall call) {
    String name = call.var("resourceGroupName");
    String bad = NAME_CHAR.matcher(name).replaceAll("");
    String why =
        !bad.isEmpty()
            ? "has these invalid characters: '"
                + bad
                + "'. The name can only be a letter, digit,"
                + " '-', '.', '(', ')' or '_'."
            : name.length() > 90
                ? "is too long: it has " + name.length() + " characters; at most 90 are allowed."
                : name.endsWith(".") ? "cannot end with a period." : null;
    if (why != null) {
      throw ArmException.of(
              ArmErrorCode.InvalidResourceGroup,
              "The provided resource group name '" + name + "' " + why)
          .withTarget("resourceGroupName");
    }
    return ResourceId.resourceGroup(call.var("subscriptionId"), name);
  }

  public void put(ArmCall call) {
    ResourceId id = id(call);
    writes.requireSubscription(id.subscription().orElseThrow());
    ObjectNode body = call.body();
    String location = Documents.requireLocation(body);
    Documents.checkTags(body);
    Precondition pre = Documents.precondition(call);
    Writes.Outcome outcome =
        store.inTransaction(
            s -> {
              Optional<StoredResource> current = s.get(id);
              Writes.check(pre, current);
              if (current.isPresent()) {
                ObjectNode old = current.get().body();
                if ("Deleting".equals(Documents.provisioningState(old))) {
                  throw ArmException.of(
                      ArmErrorCode.ResourceGroupBeingDeleted,
                      "The resource group '"
                          + id.name()
                          + "' is in deprovisioning state and"
                          + " cannot perform this operation.");
                }
                if (!old.path("location").asText().equals(location)) {
                  throw ArmException.of(
                          ArmErrorCode.InvalidResourceLocation,
                          "Invalid resource group location '"
                              + location
                              + "'. The Resource group"
                              + " already exists in location '"
                              + old.path("location").asText()
                              + "'.")
                      .withTarget("location");
                }
              }
              ObjectNode doc = Json.object();
              doc.put("id", id.value())
                  .put("name", id.name())
                  .put("type", ResourceId.RESOURCE_GROUP_TYPE);
              doc.put("location", location);
              copy(body, doc, "tags");
              copy(body, doc, "managedBy");
              doc.putObject("properties").put("provisioningState", "Succeeded");
              if (current.isPresent() && current.get().body().equals(doc)) {
                return new Writes.Outcome(current.get(), false, false);
              }
              return new Writes.Outcome(s.put(id, doc, pre), current.isEmpty(), true);
            });
    call.json(outcome.created() ? 201 : 200, view(outcome.doc()));
  }

  private static void copy(ObjectNode from, ObjectNode to, String field) {
    JsonNode v = from.get(field);
    if (v != null && !v.isNull()) {
      to.set(field, v.deepCopy());
    }
  }

  static ObjectNode view(StoredResource doc) {
    return doc.body().deepCopy();
  }

  public void get(ArmCall call) {
    ResourceId id = id(call);
    writes.requireSubscription(id.subscription().orElseThrow());
    call.json(200, view(store.get(id).orElseThrow(() -> Documents.groupNotFound(id))));
  }

  /** {@code HEAD}: 204 when the group exists, 404 (no body) when it does not. */
  public void head(ArmCall call) {
    ResourceId id = id(call);
    call.empty(store.get(id).isPresent() ? 204 : 404);
  }

  public void patch(ArmCall call) {
    ResourceId id = id(call);
    writes.requireSubscription(id.subscription().orElseThrow());
    ObjectNode body = call.body();
    Documents.checkTags(body);
    StoredResource stored =
        store.inTransaction(
            s -> {
              StoredResource current = s.get(id).orElseThrow(() -> Documents.groupNotFound(id));
              Writes.check(Documents.precondition(call), Optional.of(current));
              JsonNode loc = body.get("location");
              if (loc != null
                  && loc.isTextual()
                  && !Documents.normalizeLocation(loc.asText())
                      .equals(current.body().path("location").asText())) {
                throw ArmException.of(
                        ArmErrorCode.InvalidResourceLocation,
                        "The location of a resource group cannot be changed.")
                    .withTarget("location");
              }
              ObjectNode doc = current.body().deepCopy();
              doc.put("id", id.value()).put("name", id.name());
              if (body.has("tags")) {
                if (body.get("tags").isNull()) {
                  doc.remove("tags");
                } else {
                  doc.set("tags", body.get("tags").deepCopy());
                }
              }
              copy(body, doc, "managedBy");
              return s.put(id, doc, Precondition.NONE);
            });
    call.json(200, view(stored));
  }

  public void list(ArmCall call) {
    ResourceId sub = ResourceId.subscription(call.var("subscriptionId"));
    writes.requireSubscription(sub);
    Listing.send(
        call,
        store,
        List.of(Query.children(sub, ResourceId.RESOURCE_GROUP_TYPE)),
        d -> true,
        ResourceGroupHandler::view);
  }

  /** DELETE: 202 with the polling headers; the group and everything in it go asynchronously. */
  public void delete(ArmCall call) {
    ResourceId id = id(call);
    writes.requireSubscription(id.subscription().orElseThrow());
    StoredResource current = store.get(id).orElseThrow(() -> Documents.groupNotFound(id));
    Writes.check(Documents.precondition(call), Optional.of(current));
    ObjectNode deleting = current.body().deepCopy();
    Documents.properties(deleting).put("provisioningState", "Deleting");
    store.put(id, deleting, Precondition.NONE);
    operations.start(
        call, id, "Microsoft.Resources", Operations.Kind.DELETE, () -> deleteContents(id));
    call.empty(202);
  }

  /**
   * Gives each provider the chance to release what its resources hold, then drops the tree. Safe to
   * run again after a crash part-way ({@link OperationRecovery}).
   */
  void deleteContents(ResourceId group) {
    for (ResourceType t : types.all()) {
      Optional<String> after = Optional.empty();
      do {
        Query q = Query.descendants(group, t.type());
        var page = store.list(after.map(q::after).orElse(q));
        for (StoredResource doc : page.items()) {
          try {
            t.hooks().onDelete(doc.id(), doc.body().deepCopy());
          } catch (Exception e) {
            LOG.warn("{} could not release {}; deleting it anyway", t.type(), doc.id(), e);
          }
        }
        after = page.continuation();
      } while (after.isPresent());
    }
    store.deleteTree(group);
    LOG.debug("resource group {} deleted", group);
  }
}
