package dev.berth.controlplane.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ArmErrorCode;
import dev.berth.api.ArmException;
import dev.berth.api.ResourceId;
import dev.berth.api.RoleDefinition;
import dev.berth.http.Json;
import dev.berth.identity.RoleCatalog;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code {scope}/providers/Microsoft.Authorization/roleDefinitions[/{guid}]} from the {@link
 * RoleCatalog}, with {@code $filter=roleName eq '…'} matched case-insensitively as {@code az role
 * assignment create --role AcrPull} needs. Thread-safe.
 */
public final class RoleDefinitionHandler {

  static final String TYPE = "Microsoft.Authorization/roleDefinitions";
  private static final Pattern ROLE_NAME =
      Pattern.compile("\\s*roleName\\s+eq\\s+'([^']*)'\\s*", Pattern.CASE_INSENSITIVE);
  private static final Pattern TYPE_FILTER =
      Pattern.compile("\\s*type\\s+eq\\s+'BuiltInRole'\\s*", Pattern.CASE_INSENSITIVE);

  private final RoleCatalog catalog;

  public RoleDefinitionHandler(RoleCatalog catalog) {
    this.catalog = catalog;
  }

  public void list(ArmCall call) {
    ResourceId scope = Scopes.of(call);
    Optional<String> filter = call.query("$filter").filter(f -> !f.isBlank());
    List<RoleDefinition> roles;
    if (filter.isEmpty() || TYPE_FILTER.matcher(filter.get()).matches()) {
      roles = catalog.all();
    } else {
      Matcher m = ROLE_NAME.matcher(filter.get());
      if (!m.matches()) {
        throw ArmException.of(
                ArmErrorCode.InvalidFilter,
                "The $filter '" + filter.get() + "' is not supported. Use roleName eq '<name>'.")
            .withTarget("$filter");
      }
      roles = catalog.byName(m.group(1)).map(List::of).orElse(List.of());
    }
    Listing.sendAll(call, roles.stream().map(r -> view(scope, r)).toList());
  }

  public void get(ArmCall call) {
    ResourceId scope = Scopes.of(call);
    String guid = call.var("name");
    RoleDefinition role =
        catalog
            .byId(guid)
            .orElseThrow(
                () ->
                    ArmException.of(
                        ArmErrorCode.NotFound,
                        "The role definition '" + guid + "' could not be found."));
    call.json(200, view(scope, role));
  }

  static ObjectNode view(ResourceId scope, RoleDefinition role) {
    ObjectNode out = Json.object();
    out.put("id", Scopes.roleDefinitionId(scope, role.id()))
        .put("name", role.id())
        .put("type", TYPE);
    ObjectNode p = out.putObject("properties");
    p.put("roleName", role.roleName())
        .put("type", role.roleType())
        .put("description", role.description());
    ArrayNode scopes = p.putArray("assignableScopes");
    role.assignableScopes().forEach(scopes::add);
    ArrayNode perms = p.putArray("permissions");
    for (RoleDefinition.Permission perm : role.permissions()) {
      ObjectNode o = perms.addObject();
      perm.actions().forEach(o.putArray("actions")::add);
      perm.notActions().forEach(o.putArray("notActions")::add);
      perm.dataActions().forEach(o.putArray("dataActions")::add);
      perm.notDataActions().forEach(o.putArray("notDataActions")::add);
    }
    return out;
  }
}
