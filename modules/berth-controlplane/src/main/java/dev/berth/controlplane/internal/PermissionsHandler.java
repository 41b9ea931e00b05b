package dev.berth.controlplane.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ResourceId;
import dev.berth.api.RoleDefinition;
import dev.berth.http.Json;
import dev.berth.identity.RbacAuthorizer;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET {scope}/providers/Microsoft.Authorization/permissions}: Azure's "what may I do here"
 * ({@code Permissions_ListForResource} / {@code _ListForResourceGroup}): the permissions of every
 * role the caller holds at the scope or above it, one entry per permission block, read through the
 * same grants the authorizer decides by. Any signed-in caller may ask, only about itself: the
 * answer is the caller's own. Thread-safe.
 *
 * @see <a
 *     href="https://learn.microsoft.com/rest/api/authorization/permissions/list-for-resource">Permissions
 *     - List For Resource</a>
 */
public final class PermissionsHandler {

  private final RbacAuthorizer rbac;

  public PermissionsHandler(RbacAuthorizer rbac) {
    this.rbac = rbac;
  }

  public void list(ArmCall call) {
    ResourceId scope = Scopes.of(call);
    List<ObjectNode> value = new ArrayList<>();
    for (RbacAuthorizer.RoleGrant grant : rbac.grants(call.principal(), scope)) {
      for (RoleDefinition.Permission p : grant.role().permissions()) {
        ObjectNode o = Json.object();
        ArrayNode actions = o.putArray("actions");
        p.actions().forEach(actions::add);
        ArrayNode notActions = o.putArray("notActions");
        p.notActions().forEach(notActions::add);
        ArrayNode dataActions = o.putArray("dataActions");
        p.dataActions().forEach(dataActions::add);
        ArrayNode notDataActions = o.putArray("notDataActions");
        p.notDataActions().forEach(notDataActions::add);
        value.add(o);
      }
    }
    Listing.sendAll(call, value);
  }
}
