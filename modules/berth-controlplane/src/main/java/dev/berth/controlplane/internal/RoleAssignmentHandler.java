package dev.berth.controlplane.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ArmErrorCode;
import dev.berth.api.ArmErrors;
import dev.berth.api.ArmException;
import dev.berth.api.Principal;
import dev.berth.api.ResourceId;
import dev.berth.http.Json;
import dev.berth.identity.Directory;
import dev.berth.identity.RoleCatalog;
import dev.berth.store.Precondition;
import dev.berth.store.Query;
import dev.berth.store.ResourceStore;
import dev.berth.store.StoredResource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code {scope}/providers/Microsoft.Authorization/roleAssignments[/{guid}]} at any scope: PUT,
 * GET, DELETE and list with {@code atScope()}, {@code principalId eq '…'} and {@code
 * assignedTo('…')}. Assignments are stored at their own id, in ARM's shape, which is what the
 * authorizer reads. Thread-safe.
 */
public final class RoleAssignmentHandler {

  static final String TYPE = "Microsoft.Authorization/roleAssignments";
  private static final Pattern PRINCIPAL_EQ =
      Pattern.compile("principalId\\s+eq\\s+'([^']*)'", Pattern.CASE_INSENSITIVE);
  private static final Pattern ASSIGNED_TO =
      Pattern.compile("assignedTo\\('([^']*)'\\)", Pattern.CASE_INSENSITIVE);
  private static final Pattern AT_SCOPE =
      Pattern.compile("atScope\\(\\)", Pattern.CASE_INSENSITIVE);
  private static final List<String> PRINCIPAL_TYPES =
      List.of("User", "Group", "ServicePrincipal", "ForeignGroup", "Device");

  private final ResourceStore store;
  private final RoleCatalog catalog;
  private final Directory directory;
  private final Clock clock;
  private final Writes writes;

  public RoleAssignmentHandler(
      ResourceStore store, RoleCatalog catalog, Directory directory, Clock clock, Writes writes) {
    this.store = store;
    this.writes = writes;
    this.catalog = catalog;
    this.directory = directory;
    this.clock = clock;
  }

  private static ResourceId id(ArmCall call) {
    String name = call.var("name");
    if (!Scopes.isGuid(name)) {
      throw ArmException.of(
              ArmErrorCode.InvalidRoleAssignmentId,
              "The role assignment ID '"
                  + name
                  + "' is not valid. The role assignment ID must be"
                  + " a GUID.")
          .withTarget("name");
    }
    return Scopes.of(call).provider("Microsoft.Authorization", "roleAssignments", name);
  }

  public void get(ArmCall call) {
    ResourceId id = id(call);
    call.json(200, store.get(id).orElseThrow(() -> notFound(id)).body());
  }

  private static ArmException notFound(ResourceId id) {
    return ArmException.of(
        ArmErrorCode.RoleAssignmentNotFound,
        "The role assignment '" + id.name() + "' is not found.");
  }

  public void delete(ArmCall call) {
    ResourceId id = id(call);
    Optional<StoredResource> gone = store.delete(id, Precondition.NONE);
    if (gone.isEmpty()) {
      call.empty(204);
    } else {
      call.json(200, gone.get().body());
    }
  }

  public void put(ArmCall call) {
    ResourceId id = id(call);
    ResourceId scope = Scopes.of(call);
    requireScope(scope);
    JsonNode props = call.body().path("properties");
    if (!props.isObject()) {
      throw ArmException.of(
              ArmErrorCode.InvalidRequestContent, "The request must have a 'properties' object.")
          .withTarget("properties");
    }
    String roleGuid = roleGuid(props.path("roleDefinitionId").asText(""));
    String principalId = props.path("principalId").asText("");
    if (!Scopes.isGuid(principalId)) {
      throw ArmException.of(
              ArmErrorCode.InvalidPrincipalId,
              "A valid principal ID must be provided for role assignment.")
          .withTarget("properties.principalId");
    }
    String principalType = principalType(props, principalId);
    if (!props.path("delegatedManagedIdentityResourceId").asText("").isBlank()) {
      // It names an identity to act through across tenants (Azure Lighthouse): a linked resource
      // Berth has no use for, refused rather than stored unchecked.
      throw ArmException.of(
              ArmErrorCode.InvalidParameter,
              "delegatedManagedIdentityResourceId is not supported: Berth has one tenant.")
          .withTarget("properties.delegatedManagedIdentityResourceId");
    }
    ConditionLimits.check(props);
    Principal by = call.principal();
    String now = clock.instant().toString();
    StoredResource stored =
        store.inTransaction(
            s -> {
              Optional<StoredResource> current = s.get(id);
              current.ifPresent(c -> requireSameGrant(c, principalId, roleGuid));
              if (current.isEmpty()) {
                requireNoDuplicate(s, scope, principalId, roleGuid);
              }
              ObjectNode doc = Json.object();
              doc.put("id", id.value()).put("name", id.name()).put("type", TYPE);
              ObjectNode p = doc.putObject("properties");
              p.put("roleDefinitionId", Scopes.roleDefinitionId(scope, roleGuid))
                  .put("principalId", principalId.toLowerCase(Locale.ROOT))
                  .put("principalType", principalType)
                  .put("scope", scope.value());
              copyText(props, p, "condition");
              copyText(props, p, "description");
              if (p.has("condition")) {
                p.put("conditionVersion", props.path("conditionVersion").asText("2.0"));
              }
              JsonNode old = current.map(c -> c.body().path("properties")).orElse(null);
              p.put("createdOn", old == null ? now : old.path("createdOn").asText(now))
                  .put("updatedOn", now)
                  .put("createdBy", old == null ? by.objectId() : old.path("createdBy").asText())
                  .put("updatedBy", by.objectId());
              return s.put(id, doc, Precondition.NONE);
            });
    call.json(stored.generation() == 1 ? 201 : 200, stored.body());
  }

  /** The scope of an assignment must exist: its subscription, its group, the resource itself. */
  private void requireScope(ResourceId scope) {
    if (scope.isRoot()) {
      return;
    }
    writes.requireParents(scope, false);
    if (store.get(scope).isEmpty()) {
      throw switch (scope.type()) {
        case ResourceId.SUBSCRIPTION_TYPE -> ArmErrors.subscriptionNotFound(scope.name());
        case ResourceId.RESOURCE_GROUP_TYPE -> Documents.groupNotFound(scope);
        default -> ArmErrors.resourceNotFound(scope);
      };
    }
  }

  private String roleGuid(String roleDefinitionId) {
    String guid = roleDefinitionId.substring(roleDefinitionId.lastIndexOf('/') + 1);
    if (guid.isEmpty() || catalog.byId(guid).isEmpty()) {
      throw ArmException.of(
              ArmErrorCode.RoleDefinitionDoesNotExist,
              "The specified role definition with ID '" + guid + "' does not exist.")
          .withTarget("properties.roleDefinitionId");
    }
    return catalog.byId(guid).orElseThrow().id();
  }

  private String principalType(JsonNode props, String principalId) {
    JsonNode given = props.get("principalType");
    if (given == null || given.isNull()) {
      return directory.findByObjectId(principalId).map(p -> p.type().name()).orElse("User");
    }
    return PRINCIPAL_TYPES.stream()
        .filter(t -> t.equalsIgnoreCase(given.asText()))
        .findFirst()
        .orElseThrow(
            () ->
                ArmException.of(
                        ArmErrorCode.InvalidParameter,
                        "The principal type '" + given.asText() + "' is not valid.")
                    .withTarget("properties.principalType"));
  }

  private static void copyText(JsonNode from, ObjectNode to, String field) {
    JsonNode v = from.get(field);
    if (v != null && v.isTextual() && !v.asText().isEmpty()) {
      to.put(field, v.asText());
    }
  }

  private static void requireSameGrant(StoredResource current, String principalId, String role) {
    JsonNode p = current.body().path("properties");
    if (!p.path("principalId").asText().equalsIgnoreCase(principalId)
        || !roleOf(current).equalsIgnoreCase(role)) {
      throw ArmException.of(
          ArmErrorCode.Conflict,
          "Tenant ID, application ID, principal ID, and scope are not allowed to be updated.");
    }
  }

  private static void requireNoDuplicate(
      ResourceStore s, ResourceId scope, String principalId, String role) {
    Query q = Query.children(scope, TYPE);
    Optional<String> after = Optional.empty();
    do {
      var page = s.list(after.map(q::after).orElse(q));
      for (StoredResource a : page.items()) {
        if (a.body().path("properties").path("principalId").asText().equalsIgnoreCase(principalId)
            && roleOf(a).equalsIgnoreCase(role)) {
          throw ArmException.of(
                  ArmErrorCode.RoleAssignmentExists, "The role assignment already exists.")
              .withDetails(
                  List.of(new ArmException.Detail("RoleAssignmentExists", a.id().value(), "id")));
        }
      }
      after = page.continuation();
    } while (after.isPresent());
  }

  private static String roleOf(StoredResource a) {
    String id = a.body().path("properties").path("roleDefinitionId").asText();
    return id.substring(id.lastIndexOf('/') + 1);
  }

  /**
   * Without a filter, ARM lists the assignments at, above and below the scope; {@code atScope()}
   * keeps those at and above; {@code principalId eq} and {@code assignedTo} keep one principal's.
   */
  public void list(ArmCall call) {
    ResourceId scope = Scopes.of(call);
    requireScope(scope);
    String filter = call.query("$filter").orElse("").strip();
    boolean atScope = false;
    Predicate<StoredResource> keep = d -> true;
    if (!filter.isEmpty()) {
      for (String clause : filter.split("(?i)\\s+and\\s+")) {
        Matcher eq = PRINCIPAL_EQ.matcher(clause.strip());
        Matcher to = ASSIGNED_TO.matcher(clause.strip());
        if (AT_SCOPE.matcher(clause.strip()).matches()) {
          atScope = true;
        } else if (eq.matches() || to.matches()) {
          String principal = eq.matches() ? eq.group(1) : to.group(1);
          keep =
              keep.and(
                  d ->
                      d.body()
                          .path("properties")
                          .path("principalId")
                          .asText()
                          .equalsIgnoreCase(principal));
        } else {
          throw ArmException.of(
                  ArmErrorCode.InvalidFilter,
                  "The $filter '"
                      + filter
                      + "' is not supported. Use atScope(), principalId eq"
                      + " '<id>' or assignedTo('<id>').")
              .withTarget("$filter");
        }
      }
    }
    List<ResourceId> above = new ArrayList<>(scope.selfAndAncestors());
    above.remove(0);
    Collections.reverse(above);
    List<Query> queries = new ArrayList<>();
    above.forEach(a -> queries.add(Query.children(a, TYPE)));
    queries.add(atScope ? Query.children(scope, TYPE) : Query.descendants(scope, TYPE));
    Listing.send(call, store, queries, keep, StoredResource::body);
  }
}
