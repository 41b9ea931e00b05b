package dev.berth.controlplane.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ArmErrorCode;
import dev.berth.api.ArmErrors;
import dev.berth.api.ArmException;
import dev.berth.api.ResourceId;
import dev.berth.controlplane.ProviderAction;
import dev.berth.controlplane.ResourceHooks;
import dev.berth.controlplane.ResourceType;
import dev.berth.identity.Authorizer;
import dev.berth.store.Precondition;
import dev.berth.store.Query;
import dev.berth.store.ResourceStore;
import dev.berth.store.StoredResource;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The one handler behind every provider resource type: PUT create-or-replace, PATCH merge-patch,
 * GET, DELETE, lists and actions, synchronous or long-running as the {@link ResourceType} says.
 * Writes pass ARM's linked access check ({@link LinkedAuthorization}) before anything is stored.
 * Thread-safe.
 */
public final class GenericResourceHandler {

  private final ResourceStore store;
  private final ResourceTypes types;
  private final Operations operations;
  private final Writes writes;
  private final LinkedAuthorization links;

  public GenericResourceHandler(
      ResourceStore store,
      ResourceTypes types,
      Operations operations,
      Writes writes,
      Authorizer authorizer) {
    this.store = store;
    this.types = types;
    this.operations = operations;
    this.writes = writes;
    this.links = new LinkedAuthorization(authorizer);
  }

  /** The api-versions of the type the path names. */
  public ArmRoute.ApiVersionRule versions(ArmCall call) {
    GenericPath p = GenericPath.of(call);
    if (p.shape() == GenericPath.Shape.PROVIDER_ACTION) {
      return types
          .providerAction(p.namespace(), p.action())
          .<ArmRoute.ApiVersionRule>map(
              m -> new ArmRoute.ApiVersionRule.OneOf(m.type().type(), m.type().apiVersions()))
          .orElseGet(() -> ArmRoute.ApiVersionRule.unknownType(p.namespace(), p.action()));
    }
    return types
        .find(p.type())
        .<ArmRoute.ApiVersionRule>map(
            t -> new ArmRoute.ApiVersionRule.OneOf(t.type(), t.apiVersions()))
        .orElseGet(
            () ->
                ArmRoute.ApiVersionRule.unknownType(
                    p.namespace(), p.type().substring(p.namespace().length() + 1)));
  }

  /** The action RBAC checks: {@code {type}/read|write|delete} or {@code {type}/{action}/action}. */
  public Optional<Permission> permission(ArmCall call) {
    GenericPath p = GenericPath.of(call);
    if (p.shape() == GenericPath.Shape.PROVIDER_ACTION) {
      ProviderAction a = types.providerAction(p.namespace(), p.action()).orElseThrow().action();
      return Optional.of(new Permission(a.permission(), p.prefix()));
    }
    String type = type(p).type();
    return Optional.of(
        switch (p.shape()) {
          case COLLECTION -> Permission.listing(type + "/read", p.collectionParent());
          case ACTION -> new Permission(type + "/" + p.action() + "/action", p.itemId());
          case PROVIDER_ACTION -> throw new IllegalStateException("handled above");
          case ITEM ->
              new Permission(
                  type
                      + switch (call.method().toUpperCase(Locale.ROOT)) {
                        case "PUT", "PATCH" -> "/write";
                        case "DELETE" -> "/delete";
                        default -> "/read";
                      },
                  p.itemId());
        });
  }

  private ResourceType type(GenericPath p) {
    return types.find(p.type()).orElseThrow();
  }

  /** 405 for PUT, PATCH and DELETE of a server-managed type (revisions, replicas). */
  private static ResourceType writable(ArmCall call, ResourceType t) {
    if (t.serverManaged()) {
      throw ArmException.of(
          ArmErrorCode.MethodNotAllowed,
          "The resource type '"
              + t.type()
              + "' is managed by the service and does not support http method '"
              + call.method()
              + "'.");
    }
    return t;
  }

  public void get(ArmCall call) {
    GenericPath p = GenericPath.of(call);
    ResourceType t = type(p);
    if (p.shape() == GenericPath.Shape.COLLECTION) {
      list(call, p, t);
      return;
    }
    ResourceId id = p.itemId();
    writes.requireParents(id, false);
    StoredResource doc = store.get(id).orElseThrow(() -> ArmErrors.resourceNotFound(id));
    call.setHeader("ETag", Documents.quote(doc.etag()));
    call.json(200, types.view(doc));
  }

  /** {@code HEAD}: 204 when the resource exists, 404 (no body) when it does not. */
  public void head(ArmCall call) {
    ResourceId id = GenericPath.of(call).itemId();
    call.empty(store.get(id).isPresent() ? 204 : 404);
  }

  private void list(ArmCall call, GenericPath p, ResourceType t) {
    ResourceId parent = p.collectionParent();
    Query query;
    if (parent.resourceGroupName().isEmpty()
        && parent.type().equals(ResourceId.SUBSCRIPTION_TYPE)) {
      writes.requireSubscription(parent);
      query = Query.descendants(parent, t.type());
    } else {
      writes.requireParents(parent, false);
      if (store.get(parent).isEmpty()) {
        throw parent.type().equals(ResourceId.RESOURCE_GROUP_TYPE)
            ? Documents.groupNotFound(parent)
            : ArmErrors.resourceNotFound(parent);
      }
      query = Query.children(parent, t.type());
    }
    Listing.send(call, store, List.of(query), d -> true, types.listingView());
  }

  public void put(ArmCall call) {
    GenericPath p = GenericPath.of(call);
    ResourceType t = writable(call, type(p));
    ResourceId id = p.itemId();
    t.nameRule().check(id.name());
    writes.requireParents(id, true);
    Precondition pre = Documents.precondition(call);
    Writes.Outcome outcome =
        store.inTransaction(
            s -> {
              Optional<StoredResource> current = s.get(id);
              Writes.check(pre, current);
              ObjectNode desired = writes.desired(t, id, call.body(), current);
              Optional<ObjectNode> stored = current.map(StoredResource::body);
              // Before prepare, so a refused write leaves nothing behind (prepare may reserve a
              // port or an address); again on what will be stored, which is what counts.
              links.check(call, t, id, desired, stored, false);
              ObjectNode prepared =
                  t.hooks().prepare(s, id, desired, current.map(c -> c.body().deepCopy()));
              links.check(call, t, id, prepared, stored, true);
              ObjectNode doc = writes.compose(t, id, prepared, current, call.principal());
              if (current.isPresent() && Writes.unchanged(doc, current.get())) {
                return new Writes.Outcome(current.get(), false, false);
              }
              Documents.properties(doc)
                  .put("provisioningState", t.longRunning() ? "InProgress" : "Succeeded");
              return new Writes.Outcome(s.put(id, doc, pre), current.isEmpty(), true);
            });
    StoredResource result = outcome.doc();
    if (outcome.changed()) {
      if (t.longRunning()) {
        operations.start(
            call, id, t.namespace(), Operations.Kind.WRITE, () -> writes.settle(t, id, true));
      } else {
        result = writes.settle(t, id, false);
      }
    }
    // ARM answers 201 only when the PUT created the resource; a replaced one is 200, with the
    // polling headers when the change goes on in the background (as Container Apps answer).
    int status = outcome.created() ? 201 : 200;
    call.setHeader("ETag", Documents.quote(result.etag()));
    call.json(status, types.view(result));
  }

  public void patch(ArmCall call) {
    GenericPath p = GenericPath.of(call);
    ResourceType t = writable(call, type(p));
    ResourceId id = p.itemId();
    writes.requireParents(id, true);
    Precondition pre = Documents.precondition(call);
    store.inTransaction(
        s -> {
          StoredResource current = s.get(id).orElseThrow(() -> ArmErrors.resourceNotFound(id));
          Writes.check(pre, Optional.of(current));
          ObjectNode merged = writes.merged(t, current, call.body());
          links.check(call, t, id, merged, Optional.of(current.body()), false);
          ObjectNode prepared =
              t.hooks().prepare(s, id, merged, Optional.of(current.body().deepCopy()));
          links.check(call, t, id, prepared, Optional.of(current.body()), true);
          ObjectNode doc =
              writes.compose(t, current.id(), prepared, Optional.of(current), call.principal());
          Documents.properties(doc)
              .put("provisioningState", t.longRunning() ? "InProgress" : "Succeeded");
          return s.put(current.id(), doc, pre);
        });
    if (t.longRunning()) {
      operations.start(
          call, id, t.namespace(), Operations.Kind.WRITE, () -> writes.settle(t, id, true));
      if (t.longRunningPatchStatus() == 202) {
        call.empty(202);
        return;
      }
      // The spec has no 202 (ACR's registries: 200, 201): 201 with the resource as it stands.
      StoredResource started = store.get(id).orElseThrow(() -> ArmErrors.resourceNotFound(id));
      call.setHeader("ETag", Documents.quote(started.etag()));
      call.json(201, types.view(started));
      return;
    }
    StoredResource result = writes.settle(t, id, false);
    call.setHeader("ETag", Documents.quote(result.etag()));
    call.json(200, types.view(result));
  }

  public void delete(ArmCall call) throws Exception {
    GenericPath p = GenericPath.of(call);
    ResourceType t = writable(call, type(p));
    ResourceId id = p.itemId();
    writes.requireParents(id, false);
    Precondition pre = Documents.precondition(call);
    // One transaction reads, checks and marks: a write that would make the delete wrong (a
    // container app put into an environment being deleted) comes wholly before it, and is seen, or
    // wholly after, and sees the mark. (Read apart from the mark, a PUT landing between them made a
    // DELETE that asked for no condition fail with 412, or left an app in a deleted environment.)
    Optional<StoredResource> marked =
        store.inTransaction(
            s -> {
              Optional<StoredResource> current = s.get(id);
              Writes.check(pre, current);
              if (current.isEmpty()) {
                return current;
              }
              t.hooks().checkDelete(s, id, current.get().body().deepCopy());
              if (!t.longRunning()) {
                return current;
              }
              ObjectNode deleting = current.get().body().deepCopy();
              Documents.properties(deleting).put("provisioningState", "Deleting");
              return Optional.of(s.put(id, deleting, Precondition.ifMatch(current.get().etag())));
            });
    if (marked.isEmpty()) {
      call.empty(204);
      return;
    }
    if (!t.longRunning()) {
      t.hooks().onDelete(id, marked.get().body().deepCopy());
      store.deleteTree(id);
      call.empty(200);
      return;
    }
    ObjectNode deleting = marked.get().body();
    operations.start(
        call, id, t.namespace(), Operations.Kind.DELETE, () -> writes.delete(t, id, deleting));
    call.empty(202);
  }

  public void action(ArmCall call) throws Exception {
    GenericPath p = GenericPath.of(call);
    if (p.shape() == GenericPath.Shape.PROVIDER_ACTION) {
      ResourceId sub = p.prefix().subscription().orElseThrow();
      writes.requireSubscription(sub);
      ProviderAction a = types.providerAction(p.namespace(), p.action()).orElseThrow().action();
      call.json(200, a.handler().handle(sub, call.body()));
      return;
    }
    ResourceType t = type(p);
    ResourceId id = p.itemId();
    writes.requireParents(id, false);
    StoredResource doc = store.get(id).orElseThrow(() -> ArmErrors.resourceNotFound(id));
    links.checkAction(call, t, id, p.action(), call.body());
    Optional<ResourceHooks.ActionWork> work =
        t.hooks()
            .longRunningAction(
                p.action(), id, doc.body().deepCopy(), call.body(), call.principal());
    if (work.isPresent()) {
      operations.start(call, id, t.namespace(), Operations.Kind.ACTION, work.get()::run);
      call.empty(202);
      return;
    }
    Optional<JsonNode> reply = t.hooks().action(p.action(), id, doc.body().deepCopy(), call.body());
    if (reply.isEmpty()) {
      throw ArmException.of(
          ArmErrorCode.NotFound,
          "The action '" + p.action() + "' is not supported by resource type '" + t.type() + "'.");
    }
    call.json(200, reply.get());
  }
}
