package dev.berth.identity;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ResourceId;
import dev.berth.api.app.AppTypes;
import dev.berth.http.Json;
import dev.berth.store.Precondition;
import dev.berth.store.ResourceStore;
import java.util.List;

/**
 * Writes container apps and user-assigned identities into a store the way the control plane does,
 * so tests reach the identities through {@link AppIdentities}, as production does.
 */
final class AppDocumentsFixture {

  static final String GROUP =
      "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg";

  private AppDocumentsFixture() {}

  /** The container app {@code name}: its system identity (or none) and user-assigned ones. */
  static ResourceId app(
      ResourceStore store, String name, BoundIdentity system, List<BoundIdentity> users) {
    for (BoundIdentity u : users) {
      ResourceId id = ResourceId.parse(u.resourceId());
      ObjectNode uami = Json.object().put("type", AppIdentities.USER_ASSIGNED_TYPE);
      uami.putObject("properties")
          .put("principalId", u.principal().objectId())
          .put("clientId", u.principal().appId())
          .put("tenantId", u.principal().tenantId());
      store.put(id, uami, Precondition.NONE);
    }
    ResourceId id = ResourceId.parse(GROUP + "/providers/Microsoft.App/containerApps/" + name);
    ObjectNode app = Json.object().put("type", AppTypes.CONTAINER_APP);
    ObjectNode identity = app.putObject("identity");
    String type = system != null ? "SystemAssigned" : "";
    if (!users.isEmpty()) {
      type = type.isEmpty() ? "UserAssigned" : type + ",UserAssigned";
    }
    identity.put("type", type.isEmpty() ? "None" : type);
    if (system != null) {
      identity.put("principalId", system.principal().objectId());
      identity.put("tenantId", system.principal().tenantId());
      app.putObject("berth").put("systemIdentityClientId", system.principal().appId());
    }
    ObjectNode uamis = identity.putObject("userAssignedIdentities");
    users.forEach(u -> uamis.putObject(u.resourceId()));
    store.put(id, app, Precondition.NONE);
    return id;
  }

  /** The ARM id of the user-assigned identity {@code name}. */
  static String uami(String name) {
    return GROUP + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/" + name;
  }
}
