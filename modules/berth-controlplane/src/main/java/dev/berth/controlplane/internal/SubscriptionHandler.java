package dev.berth.controlplane.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ArmErrorCode;
import dev.berth.api.ArmErrors;
import dev.berth.api.ArmException;
import dev.berth.api.Principal;
import dev.berth.api.ResourceId;
import dev.berth.controlplane.ArmConfig;
import dev.berth.controlplane.ResourceType;
import dev.berth.http.Json;
import dev.berth.identity.Authorizer;
import dev.berth.store.Query;
import dev.berth.store.ResourceStore;
import dev.berth.store.StoredResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code Microsoft.Resources} reads that are not resource groups: subscriptions, tenants, locations
 * and the generic {@code …/resources} lists. A caller sees a subscription when it may read it or
 * holds any role assignment inside it (as in Azure, where a role on one group is enough for {@code
 * az login} to list the subscription). Thread-safe.
 */
public final class SubscriptionHandler {

  static final String READ = "Microsoft.Resources/subscriptions/read";
  private static final Pattern TYPE_FILTER =
      Pattern.compile("\\s*resourceType\\s+eq\\s+'([^']+)'\\s*", Pattern.CASE_INSENSITIVE);

  private final ResourceStore store;
  private final Authorizer authorizer;
  private final ResourceTypes types;
  private final ArmConfig config;

  public SubscriptionHandler(
      ResourceStore store, Authorizer authorizer, ResourceTypes types, ArmConfig config) {
    this.store = store;
    this.authorizer = authorizer;
    this.types = types;
    this.config = config;
  }

  public void list(ArmCall call) {
    Principal caller = call.principal();
    Listing.send(
        call,
        store,
        List.of(Query.children(ResourceId.root(), ResourceId.SUBSCRIPTION_TYPE)),
        doc -> visible(caller, doc.id()),
        SubscriptionHandler::view);
  }

  public void get(ArmCall call) {
    ResourceId id = ResourceId.subscription(call.var("subscriptionId"));
    StoredResource doc = store.get(id).orElseThrow(() -> ArmErrors.subscriptionNotFound(id.name()));
    if (!visible(call.principal(), id)) {
      throw ArmErrors.authorizationFailed(call.principal().objectId(), READ, id);
    }
    call.json(200, view(doc));
  }

  /**
   * The scope that covers every subscription: the one subscription when Berth has exactly one (as
   * its bootstrap makes), the tenant root otherwise. What a caller needs a role at to read data
   * about all of them, such as the server's metrics.
   */
  public ResourceId coveringScope() {
    List<ResourceId> subs =
        store.stream(Query.children(ResourceId.root(), ResourceId.SUBSCRIPTION_TYPE))
            .limit(2)
            .map(StoredResource::id)
            .toList();
    return subs.size() == 1 ? subs.get(0) : ResourceId.root();
  }

  private boolean visible(Principal caller, ResourceId sub) {
    return authorizer.isAllowed(caller, READ, sub) || authorizer.hasAssignmentWithin(caller, sub);
  }

  static ObjectNode view(StoredResource doc) {
    ObjectNode body = doc.body();
    String subId = body.path("subscriptionId").asText(doc.id().name());
    ObjectNode out = Json.object();
    out.put("id", "/subscriptions/" + subId)
        .put("subscriptionId", subId)
        .put("displayName", body.path("displayName").asText(subId))
        .put("state", body.path("state").asText("Enabled"))
        .put("tenantId", body.path("tenantId").asText());
    out.putObject("subscriptionPolicies")
        .put("locationPlacementId", "Public_2014-09-01")
        .put("quotaId", "PayAsYouGo_2014-09-01")
        .put("spendingLimit", "Off");
    out.put("authorizationSource", "RoleBased");
    return out;
  }

  public void tenants(ArmCall call) {
    ObjectNode t = Json.object();
    t.put("id", "/tenants/" + config.tenantId())
        .put("tenantId", config.tenantId())
        .put("tenantCategory", "Home")
        .put("displayName", "Berth")
        .put("defaultDomain", "berth.local");
    t.putArray("domains").add("berth.local");
    Listing.sendAll(call, List.of(t));
  }

  public void locations(ArmCall call) {
    ResourceId sub = ResourceId.subscription(call.var("subscriptionId"));
    if (store.get(sub).isEmpty()) {
      throw ArmErrors.subscriptionNotFound(sub.name());
    }
    ObjectNode loc = Json.object();
    loc.put("id", sub.value() + "/locations/" + config.location())
        .put("name", config.location())
        .put("type", "Region")
        .put("displayName", config.location())
        .put("regionalDisplayName", config.location());
    loc.putObject("metadata").put("regionType", "Physical").put("regionCategory", "Recommended");
    Listing.sendAll(call, List.of(loc));
  }

  /** {@code GET /subscriptions/{sub}/resources} and {@code …/resourcegroups/{rg}/resources}. */
  public void resources(ArmCall call) {
    ResourceId scope =
        call.optionalVar("resourceGroupName")
            .map(rg -> ResourceId.resourceGroup(call.var("subscriptionId"), rg))
            .orElseGet(() -> ResourceId.subscription(call.var("subscriptionId")));
    if (store.get(ResourceId.subscription(call.var("subscriptionId"))).isEmpty()) {
      throw ArmErrors.subscriptionNotFound(call.var("subscriptionId"));
    }
    if (scope.type().equals(ResourceId.RESOURCE_GROUP_TYPE) && store.get(scope).isEmpty()) {
      throw Documents.groupNotFound(scope);
    }
    List<ResourceType> selected = new ArrayList<>(types.trackedTopLevel());
    Optional<String> filter = call.query("$filter").filter(f -> !f.isBlank());
    if (filter.isPresent()) {
      Matcher m = TYPE_FILTER.matcher(filter.get());
      if (!m.matches()) {
        throw ArmException.of(
                ArmErrorCode.InvalidFilter,
                "The $filter '"
                    + filter.get()
                    + "' is not supported. Use resourceType eq '<type>'.")
            .withTarget("$filter");
      }
      String wanted = m.group(1).toLowerCase(Locale.ROOT);
      selected.removeIf(t -> !t.key().equals(wanted));
    }
    List<Query> queries = new ArrayList<>();
    for (ResourceType t : selected) {
      queries.add(Query.descendants(scope, t.type()));
    }
    Listing.send(call, store, queries, d -> true, SubscriptionHandler::genericView);
  }

  /** A resource as generic lists show it: the envelope, without {@code properties}. */
  static JsonNode genericView(StoredResource doc) {
    ObjectNode out = Json.object();
    for (String f :
        List.of("id", "name", "type", "location", "tags", "sku", "kind", "identity", "managedBy")) {
      JsonNode v = doc.body().get(f);
      if (v != null && !v.isNull()) {
        out.set(f, v.deepCopy());
      }
    }
    return out;
  }
}
