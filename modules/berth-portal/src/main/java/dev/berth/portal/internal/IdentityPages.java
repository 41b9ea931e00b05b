package dev.berth.portal.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.client.ArmCallException;
import dev.berth.http.Route;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A user-assigned managed identity's Overview (its client, principal and tenant ids) and its Azure
 * role assignments: every assignment naming its principal in the subscriptions the signed-in person
 * may read ({@code $filter=principalId eq '…'}, as Azure's blade asks). Thread-safe.
 */
public final class IdentityPages {

  static final String TYPE = "Microsoft.ManagedIdentity/userAssignedIdentities";
  static final String API = "?api-version=2023-01-31";
  static final String BASE =
      "/portal/resource/subscriptions/{sub}/resourceGroups/{rg}/providers/" + TYPE + "/{name}";
  static final List<String[]> MENU =
      List.of(
          new String[] {"Overview", ""},
          new String[] {"Azure role assignments", "role-assignments"},
          new String[] {"Access control (IAM)", "access-control"});

  /** One assignment of the identity: its role, and the scope with a link when it is a resource. */
  public record RoleRow(String role, String scope, String scopeHref) {}

  private final Pages pages;

  IdentityPages(Pages pages) {
    this.pages = pages;
  }

  List<Route<PageHandler>> routes() {
    List<Route<PageHandler>> routes = new ArrayList<>();
    routes.add(Route.of("GET", BASE, this::overview));
    routes.add(Route.of("GET", BASE + "/role-assignments", this::roleAssignments));
    routes.addAll(new AccessControlPages(pages, TYPE, BASE, MENU).routes());
    return routes;
  }

  /** The assignments naming {@code principalId} at, above and below {@code scope}. */
  private static List<RoleRow> assignmentsAt(
      PortalRequest request, String scope, String principalId) {
    Map<String, String> roleNames = new HashMap<>();
    for (JsonNode d :
        request
            .arm()
            .list(scope + AccessControlPages.AUTHZ + "/roleDefinitions" + AccessControlPages.API)) {
      roleNames.put(
          AccessControlPages.guid(d.path("id").asText()),
          d.path("properties").path("roleName").asText());
    }
    List<RoleRow> rows = new ArrayList<>();
    for (JsonNode a :
        request
            .arm()
            .list(
                scope
                    + AccessControlPages.AUTHZ
                    + "/roleAssignments"
                    + AccessControlPages.API
                    + "&$filter=principalId%20eq%20'"
                    + principalId
                    + "'")) {
      JsonNode p = a.path("properties");
      String role = AccessControlPages.guid(p.path("roleDefinitionId").asText());
      String at = p.path("scope").asText();
      boolean resourceOrGroup = at.toLowerCase(Locale.ROOT).contains("/resourcegroups/");
      rows.add(
          new RoleRow(
              roleNames.getOrDefault(role, role),
              at,
              resourceOrGroup ? ResourcePaths.portalHref(at) : ""));
    }
    return rows;
  }

  private static ResourceRef ref(PortalRequest request) {
    return ResourceRef.of(request.exchange(), TYPE).orElseThrow(RegistryPages::notFound);
  }

  private void overview(PortalRequest request) {
    ResourceRef ref = ref(request);
    JsonNode identity = request.arm().get(ref.id() + API);
    JsonNode p = identity.path("properties");
    Map<String, Object> params = new HashMap<>();
    params.put("clientId", p.path("clientId").asText());
    params.put("principalId", p.path("principalId").asText());
    params.put("tenantId", p.path("tenantId").asText());
    params.put("location", identity.path("location").asText());
    Blades.send(pages, request, ref, MENU, "", "identity/overview.jte", params);
  }

  private void roleAssignments(PortalRequest request) {
    ResourceRef ref = ref(request);
    String principalId =
        request.arm().get(ref.id() + API).path("properties").path("principalId").asText();
    List<RoleRow> rows = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    for (JsonNode s : request.arm().list("/subscriptions?api-version=2022-12-01")) {
      String sub = "/subscriptions/" + s.path("subscriptionId").asText();
      try {
        rows.addAll(assignmentsAt(request, sub, principalId));
      } catch (ArmCallException e) {
        if (!sub.equalsIgnoreCase("/subscriptions/" + ref.subscription())) {
          notes.add(s.path("displayName").asText(sub) + ": " + e.code());
          continue;
        }
        // A person who may read only this identity's group still sees the assignments there.
        rows.addAll(assignmentsAt(request, ref.groupId(), principalId));
        notes.add(
            "Only the assignments in resource group "
                + ref.group()
                + ": you may not read the subscription's ("
                + e.code()
                + ").");
      }
    }
    Map<String, Object> params = new HashMap<>();
    params.put("principalId", principalId);
    params.put("assignments", rows);
    params.put("unreadable", notes);
    Blades.send(
        pages, request, ref, MENU, "role-assignments", "identity/role-assignments.jte", params);
  }
}
