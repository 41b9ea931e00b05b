package dev.berth.controlplane.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ArmErrorCode;
import dev.berth.api.ArmErrors;
import dev.berth.api.ArmException;
import dev.berth.api.ResourceId;
import dev.berth.controlplane.ResourceType;
import dev.berth.http.Json;
import dev.berth.store.ResourceStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resource provider registration: every namespace Berth serves is always {@code Registered}, with
 * its resource types, the one location and their api-versions ({@code az} checks both before it
 * creates container apps). Thread-safe.
 */
public final class ProviderHandler {

  /** One resource type row of a provider document. */
  record TypeRow(String namespace, String typePath, List<String> apiVersions) {}

  private final ResourceStore store;
  private final String location;
  private final Map<String, List<TypeRow>> byNamespace = new LinkedHashMap<>();

  public ProviderHandler(ResourceStore store, ResourceTypes types, String location) {
    this.store = store;
    this.location = location;
    builtin(
        "Microsoft.Resources",
        ApiVersions.RESOURCES,
        "resourceGroups",
        "subscriptions",
        "tenants",
        "providers",
        "resources",
        "locations",
        "operationResults");
    builtin(
        "Microsoft.Authorization", ApiVersions.AUTHORIZATION, "roleAssignments", "roleDefinitions");
    builtin("Berth.Identity", ApiVersions.BERTH_IDENTITY, "servicePrincipals", "users");
    for (ResourceType t : types.all()) {
      add(new TypeRow(t.namespace(), t.typePath(), t.apiVersions()));
    }
  }

  private void builtin(String ns, List<String> versions, String... typePaths) {
    for (String tp : typePaths) {
      add(new TypeRow(ns, tp, versions));
    }
  }

  private void add(TypeRow row) {
    String key =
        byNamespace.keySet().stream()
            .filter(k -> k.equalsIgnoreCase(row.namespace()))
            .findFirst()
            .orElse(row.namespace());
    byNamespace.computeIfAbsent(key, k -> new ArrayList<>()).add(row);
  }

  private String namespace(ArmCall call) {
    String wanted = call.var("namespace");
    return byNamespace.keySet().stream()
        .filter(k -> k.equalsIgnoreCase(wanted))
        .findFirst()
        .orElseThrow(
            () ->
                ArmException.of(
                    ArmErrorCode.NotFound, "The resource namespace '" + wanted + "' is invalid."));
  }

  private ResourceId subscription(ArmCall call) {
    ResourceId sub = ResourceId.subscription(call.var("subscriptionId"));
    if (store.get(sub).isEmpty()) {
      throw ArmErrors.subscriptionNotFound(sub.name());
    }
    return sub;
  }

  public void list(ArmCall call) {
    ResourceId sub = subscription(call);
    List<ObjectNode> all = new ArrayList<>();
    byNamespace.keySet().forEach(ns -> all.add(view(sub, ns)));
    Listing.sendAll(call, all);
  }

  public void get(ArmCall call) {
    ResourceId sub = subscription(call);
    call.json(200, view(sub, namespace(call)));
  }

  /** {@code POST …/providers/{ns}/register}: nothing to do, the namespace is registered. */
  public void register(ArmCall call) {
    ResourceId sub = subscription(call);
    call.json(200, view(sub, namespace(call)));
  }

  private ObjectNode view(ResourceId sub, String ns) {
    ObjectNode p = Json.object();
    p.put("id", sub.value() + "/providers/" + ns)
        .put("namespace", ns)
        .put("registrationState", "Registered")
        .put("registrationPolicy", "RegistrationRequired");
    ArrayNode rows = p.putArray("resourceTypes");
    for (TypeRow row : byNamespace.get(ns)) {
      ObjectNode r = rows.addObject();
      r.put("resourceType", row.typePath());
      r.putArray("locations").add(location);
      ArrayNode versions = r.putArray("apiVersions");
      row.apiVersions().stream().sorted(Comparator.reverseOrder()).forEach(versions::add);
      r.put("capabilities", "None");
    }
    return p;
  }
}
