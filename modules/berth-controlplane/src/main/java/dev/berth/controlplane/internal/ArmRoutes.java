package dev.berth.controlplane.internal;

import dev.berth.api.ResourceId;
import dev.berth.controlplane.MetricsSource;
import dev.berth.controlplane.ProviderRoute;
import dev.berth.controlplane.ResourceType;
import dev.berth.controlplane.StreamRoute;
import dev.berth.controlplane.internal.ArmRoute.ApiVersionRule;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one route table of the ARM API: every path Berth serves, the api-versions it accepts, and the
 * RBAC action it requires at which scope. Read this file to know the API's surface.
 */
public final class ArmRoutes {

  private static final String RG =
      "/subscriptions/{subscriptionId}/resourcegroups/{resourceGroupName}";
  private static final String SUB = "/subscriptions/{subscriptionId}";
  private static final String SP = "/providers/Berth.Identity/servicePrincipals";
  private static final String USERS = "/providers/Berth.Identity/users";
  private static final String RA = "/providers/Microsoft.Authorization/roleAssignments";
  private static final String RD = "/providers/Microsoft.Authorization/roleDefinitions";
  private static final String PERMISSIONS = "/providers/Microsoft.Authorization/permissions";

  private ArmRoutes() {}

  /** The handlers the table dispatches to. */
  public record Handlers(
      MetadataHandler metadata,
      SubscriptionHandler subscriptions,
      ResourceGroupHandler groups,
      ProviderHandler providers,
      OperationHandler operations,
      GenericResourceHandler generic,
      RoleDefinitionHandler roleDefinitions,
      RoleAssignmentHandler roleAssignments,
      ServicePrincipalHandler servicePrincipals,
      UserHandler users,
      PermissionsHandler permissions,
      Optional<MetricsHandler> metrics) {}

  /**
   * @param types the provider resource types, whose own routes ({@link ResourceType#routes}) join
   *     the table
   */
  public static RouteTable table(Handlers h, List<ResourceType> types) {
    var resources = versions("Microsoft.Resources/resourceGroups", ApiVersions.RESOURCES);
    var authz = versions("Microsoft.Authorization/roleAssignments", ApiVersions.AUTHORIZATION);
    var authzDefs = versions("Microsoft.Authorization/roleDefinitions", ApiVersions.AUTHORIZATION);
    var berth = versions(ServicePrincipalHandler.TYPE, ApiVersions.BERTH_IDENTITY);
    var berthUsers = versions(UserHandler.TYPE, ApiVersions.BERTH_IDENTITY);
    Function<ArmCall, ApiVersionRule> any = c -> ApiVersionRule.any();
    String rgAction = "Microsoft.Resources/subscriptions/resourceGroups/";
    RouteTable.Builder t = RouteTable.builder();

    t.add("GET", "/metadata/endpoints", anonymous("metadata", any, h.metadata()::get));

    // Prometheus' scrape (docs/metrics.md): no api-version, as scrapers send none; the data covers
    // every subscription, so the role must too.
    h.metrics()
        .ifPresent(
            m ->
                t.add(
                    "GET",
                    "/metrics",
                    route(
                        "metrics",
                        c -> ApiVersionRule.notRequired(),
                        at(MetricsSource.READ_ACTION, c -> h.subscriptions().coveringScope()),
                        false,
                        m::get)));

    t.add(
        "GET",
        "/subscriptions",
        route("subscriptions.list", resources, authenticated(), false, h.subscriptions()::list));
    t.add(
        "GET",
        "/tenants",
        route("tenants.list", resources, authenticated(), false, h.subscriptions()::tenants));
    t.add(
        "GET",
        SUB,
        route("subscriptions.get", resources, authenticated(), false, h.subscriptions()::get));
    t.add(
        "GET",
        SUB + "/locations",
        route("locations.list", resources, authenticated(), false, h.subscriptions()::locations));
    t.add(
        "GET",
        SUB + "/resources",
        route(
            "resources.list",
            resources,
            listing("Microsoft.Resources/subscriptions/resources/read", ArmRoutes::sub),
            false,
            h.subscriptions()::resources));

    t.add(
        "GET",
        SUB + "/resourcegroups",
        route(
            "groups.list",
            resources,
            listing(rgAction + "read", ArmRoutes::sub),
            false,
            h.groups()::list));
    t.add(
        "PUT",
        RG,
        route(
            "groups.put",
            resources,
            at(rgAction + "write", ResourceGroupHandler::id),
            true,
            h.groups()::put));
    t.add(
        "GET",
        RG,
        route(
            "groups.get",
            resources,
            at(rgAction + "read", ResourceGroupHandler::id),
            false,
            h.groups()::get));
    t.add(
        "HEAD",
        RG,
        route(
            "groups.head",
            resources,
            at(rgAction + "read", ResourceGroupHandler::id),
            false,
            h.groups()::head));
    t.add(
        "PATCH",
        RG,
        route(
            "groups.patch",
            resources,
            at(rgAction + "write", ResourceGroupHandler::id),
            true,
            h.groups()::patch));
    t.add(
        "DELETE",
        RG,
        route(
            "groups.delete",
            resources,
            at(rgAction + "delete", ResourceGroupHandler::id),
            false,
            h.groups()::delete));
    t.add(
        "GET",
        RG + "/resources",
        route(
            "groups.resources",
            resources,
            listing(rgAction + "resources/read", ResourceGroupHandler::id),
            false,
            h.subscriptions()::resources));

    t.add(
        "GET",
        SUB + "/providers",
        route("providers.list", resources, authenticated(), false, h.providers()::list));
    t.add(
        "GET",
        SUB + "/providers/{namespace}",
        route("providers.get", resources, authenticated(), false, h.providers()::get));
    t.add(
        "POST",
        SUB + "/providers/{namespace}/register",
        route(
            "providers.register",
            resources,
            c -> Optional.of(new Permission(c.var("namespace") + "/register/action", sub(c))),
            false,
            h.providers()::register));

    String ops = SUB + "/providers/{namespace}/locations/{location}";
    t.add(
        "GET",
        ops + "/operationStatuses/{operationId}",
        route("operations.status", any, authenticated(), false, h.operations()::status));
    t.add(
        "GET",
        ops + "/operationResults/{operationId}",
        route("operations.result", any, authenticated(), false, h.operations()::result));

    // A provider's own routes below its resources, such as a container app replica's log stream
    // (the router prefers them to the generic routes: they have more literal segments).
    for (ResourceType type : types) {
      for (ProviderRoute r : type.routes()) {
        t.add(
            r.method(),
            RG + "/providers/" + type.type() + "/{resourceName}/" + r.path(),
            provider(type, r));
      }
    }

    // Data-plane routes beside ARM (a container app's event and log streams): no api-version, and
    // the provider's own short-lived token in place of an Entra token (StreamRoutes).
    for (ResourceType type : types) {
      for (StreamRoute r : type.streamRoutes()) {
        t.add(
            "GET",
            RG + "/" + type.typePath() + "/{resourceName}/" + r.path(),
            StreamRoutes.route(type, r));
      }
    }

    for (String prefix : List.of(RG, SUB)) {
      String generic = prefix + "/providers/{namespace}/{rest...}";
      var g = h.generic();
      t.add("GET", generic, route("generic.get", g::versions, g::permission, false, g::get));
      t.add("HEAD", generic, route("generic.head", g::versions, g::permission, false, g::head));
      t.add("PUT", generic, route("generic.put", g::versions, g::permission, true, g::put));
      t.add("PATCH", generic, route("generic.patch", g::versions, g::permission, true, g::patch));
      t.add(
          "DELETE", generic, route("generic.delete", g::versions, g::permission, false, g::delete));
      t.add("POST", generic, route("generic.action", g::versions, g::permission, true, g::action));
    }

    String raAction = "Microsoft.Authorization/roleAssignments/";
    t.extension(
        "GET",
        RA,
        route(
            "roleAssignments.list",
            authz,
            at(raAction + "read", Scopes::of),
            false,
            h.roleAssignments()::list));
    t.extension(
        "GET",
        RA + "/{name}",
        route(
            "roleAssignments.get",
            authz,
            at(raAction + "read", Scopes::of),
            false,
            h.roleAssignments()::get));
    t.extension(
        "PUT",
        RA + "/{name}",
        route(
            "roleAssignments.put",
            authz,
            at(raAction + "write", Scopes::of),
            true,
            h.roleAssignments()::put));
    t.extension(
        "DELETE",
        RA + "/{name}",
        route(
            "roleAssignments.delete",
            authz,
            at(raAction + "delete", Scopes::of),
            false,
            h.roleAssignments()::delete));
    String rdRead = "Microsoft.Authorization/roleDefinitions/read";
    t.extension(
        "GET",
        RD,
        route(
            "roleDefinitions.list",
            authzDefs,
            at(rdRead, Scopes::of),
            false,
            h.roleDefinitions()::list));
    t.extension(
        "GET",
        RD + "/{name}",
        route(
            "roleDefinitions.get",
            authzDefs,
            at(rdRead, Scopes::of),
            false,
            h.roleDefinitions()::get));

    // "What may I do here": any caller, about itself only (the portal shows a fix button by it).
    var permissions = versions("Microsoft.Authorization/permissions", ApiVersions.AUTHORIZATION);
    t.extension(
        "GET",
        PERMISSIONS,
        route("permissions.list", permissions, authenticated(), false, h.permissions()::list));

    // Principals are access management: the same actions as role assignments, at the tenant root.
    var spRead = at(raAction + "read", c -> ResourceId.root());
    var spWrite = at(raAction + "write", c -> ResourceId.root());
    t.add(
        "POST",
        SP,
        route("servicePrincipals.create", berth, spWrite, true, h.servicePrincipals()::create));
    t.add(
        "GET",
        SP,
        route("servicePrincipals.list", berth, spRead, false, h.servicePrincipals()::list));
    t.add(
        "GET",
        SP + "/{appId}",
        route("servicePrincipals.get", berth, spRead, false, h.servicePrincipals()::get));
    t.add(
        "DELETE",
        SP + "/{appId}",
        route("servicePrincipals.delete", berth, spWrite, false, h.servicePrincipals()::delete));
    t.add(
        "POST",
        SP + "/{appId}/resetSecret",
        route(
            "servicePrincipals.resetSecret",
            berth,
            spWrite,
            true,
            h.servicePrincipals()::resetSecret));
    // People's accounts are principals too: the same actions as service principals.
    t.add(
        "PUT",
        USERS + "/{userName}",
        route("users.create", berthUsers, spWrite, true, h.users()::create));
    t.add("GET", USERS, route("users.list", berthUsers, spRead, false, h.users()::list));
    t.add(
        "GET",
        USERS + "/{userName}",
        route("users.get", berthUsers, spRead, false, h.users()::get));
    t.add(
        "DELETE",
        USERS + "/{userName}",
        route("users.delete", berthUsers, spWrite, false, h.users()::delete));
    t.add(
        "POST",
        USERS + "/{userName}/resetPassword",
        route("users.resetPassword", berthUsers, spWrite, true, h.users()::resetPassword));
    return t.build();
  }

  /** A provider's route: the type's api-versions, its action at the resource it is below. */
  private static ArmRoute provider(ResourceType type, ProviderRoute r) {
    Function<ArmCall, ResourceId> resource =
        c ->
            ResourceId.resourceGroup(c.var("subscriptionId"), c.var("resourceGroupName"))
                .provider(type.namespace(), type.typePath(), c.var("resourceName"));
    return route(
        type.typePath() + "." + r.name(),
        versions(type.type(), type.apiVersions()),
        at(r.action(), resource),
        false,
        c ->
            r.handler()
                .handle(new ProviderRoute.Request(resource.apply(c), c.vars(), c.exchange())));
  }

  private static ResourceId sub(ArmCall c) {
    return ResourceId.subscription(c.var("subscriptionId"));
  }

  private static Function<ArmCall, ApiVersionRule> versions(String type, List<String> list) {
    ApiVersionRule rule = new ApiVersionRule.OneOf(type, list);
    return c -> rule;
  }

  private static Function<ArmCall, Optional<Permission>> at(
      String action, Function<ArmCall, ResourceId> scope) {
    return c -> Optional.of(new Permission(action, scope.apply(c)));
  }

  /** A list of the scope's resources, which ARM filters for a caller with a role inside it. */
  private static Function<ArmCall, Optional<Permission>> listing(
      String action, Function<ArmCall, ResourceId> scope) {
    return c -> Optional.of(Permission.listing(action, scope.apply(c)));
  }

  /** Any authenticated caller; the handler narrows what it shows. */
  private static Function<ArmCall, Optional<Permission>> authenticated() {
    return c -> Optional.empty();
  }

  private static ArmRoute route(
      String name,
      Function<ArmCall, ApiVersionRule> versions,
      Function<ArmCall, Optional<Permission>> permission,
      boolean readsBody,
      ArmHandler handler) {
    return new ArmRoute(name, versions, false, permission, readsBody, handler);
  }

  private static ArmRoute anonymous(
      String name, Function<ArmCall, ApiVersionRule> versions, ArmHandler handler) {
    return new ArmRoute(name, versions, true, c -> Optional.empty(), false, handler);
  }
}
