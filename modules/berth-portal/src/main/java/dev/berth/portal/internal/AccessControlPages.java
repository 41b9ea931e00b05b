package dev.berth.portal.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.client.ArmCallException;
import dev.berth.http.Route;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The Access control (IAM) blade of one resource type: the role assignments that apply at the
 * resource (its own and those inherited from its group and subscription), and — for a person who
 * may write role assignments — a form to add one and a button to remove each of the resource's own.
 * Thread-safe.
 */
public final class AccessControlPages {

  static final String AUTHZ = "/providers/Microsoft.Authorization";
  static final String API = "?api-version=2022-04-01";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern GUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  /** One row of the assignments table. */
  public record Assignment(
      String id,
      String role,
      String principal,
      String principalId,
      String principalType,
      String scope,
      boolean here) {}

  /** One role of the picker: its definition id and name. */
  public record Role(String id, String name) {}

  private final Pages pages;
  private final String type;
  private final String base;
  private final List<String[]> menu;

  AccessControlPages(Pages pages, String type, String base, List<String[]> menu) {
    this.pages = pages;
    this.type = type;
    this.base = base;
    this.menu = menu;
  }

  List<Route<PageHandler>> routes() {
    return List.of(
        Route.of("GET", base + "/access-control", this::show),
        Route.of("POST", base + "/access-control/add", this::add),
        Route.of("POST", base + "/access-control/remove", this::remove));
  }

  private ResourceRef ref(PortalRequest request) {
    return ResourceRef.of(request.exchange(), type).orElseThrow(RegistryPages::notFound);
  }

  private void show(PortalRequest request) {
    ResourceRef ref = ref(request);
    request.arm().get(ref.id() + "?api-version=" + apiVersionOf(type)); // 404 for no resource
    List<Role> roles = roles(request, ref.id());
    Map<String, String> roleNames = new HashMap<>();
    roles.forEach(r -> roleNames.put(guid(r.id()), r.name()));
    PrincipalNames names = PrincipalNames.read(request);
    List<Assignment> rows = new ArrayList<>();
    for (JsonNode a :
        request.arm().list(ref.id() + AUTHZ + "/roleAssignments" + API + "&$filter=atScope()")) {
      JsonNode p = a.path("properties");
      String scope = p.path("scope").asText();
      String principalId = p.path("principalId").asText();
      String roleId = p.path("roleDefinitionId").asText();
      rows.add(
          new Assignment(
              a.path("id").asText(),
              roleNames.getOrDefault(guid(roleId), guid(roleId)),
              names.of(principalId),
              principalId,
              p.path("principalType").asText(""),
              scopeLabel(scope, ref),
              scope.equalsIgnoreCase(ref.id())));
    }
    Permissions may = Permissions.at(request.arm(), ref.id());
    Map<String, Object> params = new HashMap<>();
    params.put("assignments", rows);
    params.put("roles", roles);
    params.put("canAdd", may.allows("Microsoft.Authorization/roleAssignments/write"));
    params.put("canRemove", may.allows("Microsoft.Authorization/roleAssignments/delete"));
    Blades.send(pages, request, ref, menu, "access-control", "registry/access-control.jte", params);
  }

  private static List<Role> roles(PortalRequest request, String scope) {
    List<Role> roles = new ArrayList<>();
    for (JsonNode d : request.arm().list(scope + AUTHZ + "/roleDefinitions" + API)) {
      roles.add(new Role(d.path("id").asText(), d.path("properties").path("roleName").asText()));
    }
    roles.sort((a, b) -> a.name().compareToIgnoreCase(b.name()));
    return roles;
  }

  private void add(PortalRequest request) {
    ResourceRef ref = ref(request);
    String role = request.form().get("role").orElse("");
    String principalId = request.form().get("principalId").map(String::strip).orElse("");
    if (!GUID.matcher(principalId).matches()) {
      throw new ArmCallException(
          400,
          "InvalidPrincipalId",
          "The principal id must be an object id (a GUID), such as a managed identity's"
              + " principal id.");
    }
    if (!GUID.matcher(guid(role)).matches()) {
      throw new ArmCallException(400, "InvalidRoleDefinitionId", "Choose a role from the list.");
    }
    ObjectNode body = JSON.createObjectNode();
    body.putObject("properties").put("roleDefinitionId", role).put("principalId", principalId);
    request.arm().put(ref.id() + AUTHZ + "/roleAssignments/" + UUID.randomUUID() + API, body);
    Blades.redirect(request, ref.href("access-control"));
  }

  private void remove(PortalRequest request) {
    ResourceRef ref = ref(request);
    String id = request.form().get("assignment").orElse("");
    String prefix = ref.id() + AUTHZ + "/roleAssignments/";
    // Only this resource's own assignments are removed here, by an id the portal rebuilds.
    if (!id.regionMatches(true, 0, prefix, 0, prefix.length())
        || !GUID.matcher(id.substring(prefix.length())).matches()) {
      throw new ArmCallException(
          400, "InvalidRoleAssignmentId", "Remove an assignment made at this resource here.");
    }
    request.arm().delete(prefix + id.substring(prefix.length()) + API, true);
    Blades.redirect(request, ref.href("access-control"));
  }

  /** The last segment of an id: a role definition's GUID. */
  static String guid(String id) {
    return id.substring(id.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
  }

  private static String scopeLabel(String scope, ResourceRef ref) {
    if (scope.equalsIgnoreCase(ref.id())) {
      return "This resource";
    }
    if (scope.equalsIgnoreCase(ref.groupId())) {
      return "Resource group (inherited)";
    }
    if (scope.equalsIgnoreCase("/subscriptions/" + ref.subscription())) {
      return "Subscription (inherited)";
    }
    return scope.equals("/") ? "Root (inherited)" : scope + " (inherited)";
  }

  /** The api-version the portal reads each type's document with. */
  static String apiVersionOf(String type) {
    return switch (type) {
      case RegistryPages.TYPE -> "2023-07-01";
      case "Microsoft.ManagedIdentity/userAssignedIdentities" -> "2023-01-31";
      default -> "2024-03-01";
    };
  }
}
