package dev.berth.controlplane;

import static dev.berth.controlplane.support.ArmServer.SUB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.controlplane.internal.ArmRoute;
import dev.berth.controlplane.support.ArmServer;
import dev.berth.controlplane.support.ArmServer.Reply;
import dev.berth.controlplane.support.Providers;
import dev.berth.http.Route;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every operation Berth's ARM layer serves, sent in a sequence that makes each succeed, against the
 * success status codes the azure-rest-api-specs file of that api-version lists for it (recorded
 * here per operation; errors are every spec's {@code default}). A route or resource type with no
 * row fails the test, so a new operation must say what its spec allows.
 */
class SpecStatusCodesTest {

  private static final String RG = "/subscriptions/" + SUB + "/resourceGroups/rg1";
  private static final String ACR =
      RG + "/providers/Microsoft.ContainerRegistry/registries/acrspec";
  private static final String MSI =
      RG + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1";
  private static final String ENV = RG + "/providers/Microsoft.App/managedEnvironments/env1";
  private static final String APP = RG + "/providers/Microsoft.App/containerApps/app1";
  private static final String ACR_PULL = "7f951dda-4ed3-4680-a7ca-43fe172d538d";

  // api-versions: the newest az 2.45 and the extension 0.3.41 send, and the Java SDK's ACR one.
  private static final String RES = "?api-version=2021-04-01";
  private static final String AUTHZ = "?api-version=2022-04-01";
  private static final String ACR_AZ = "?api-version=2022-02-01-preview";
  private static final String ACR_SDK = "?api-version=2023-07-01";
  private static final String ID = "?api-version=2023-01-31";
  private static final String APPV = "?api-version=2023-05-01";
  private static final String APP_PREVIEW = "?api-version=2023-05-02-preview";

  /** Served routes no provider spec describes, and why. The generic routes are covered per type. */
  private static final Map<String, String> NOT_IN_A_SPEC =
      Map.ofEntries(
          Map.entry(
              "metadata GET", "the cloud's metadata document: az's own format, not a REST spec"),
          Map.entry("metrics GET", "Prometheus' scrape (docs/metrics.md)"),
          Map.entry("servicePrincipals.create POST", "Berth's own API (Berth.Identity)"),
          Map.entry("servicePrincipals.list GET", "Berth's own API (Berth.Identity)"),
          Map.entry("servicePrincipals.get GET", "Berth's own API (Berth.Identity)"),
          Map.entry("servicePrincipals.delete DELETE", "Berth's own API (Berth.Identity)"),
          Map.entry("servicePrincipals.resetSecret POST", "Berth's own API (Berth.Identity)"),
          Map.entry("users.create PUT", "Berth's own API (Berth.Identity)"),
          Map.entry("users.list GET", "Berth's own API (Berth.Identity)"),
          Map.entry("users.get GET", "Berth's own API (Berth.Identity)"),
          Map.entry("users.delete DELETE", "Berth's own API (Berth.Identity)"),
          Map.entry("users.resetPassword POST", "Berth's own API (Berth.Identity)"),
          Map.entry(
              "containerApps.logstream GET",
              "served by Container Apps on the log-stream host, not in the ARM spec"),
          Map.entry(
              "containerApps.eventstream GET",
              "Berth's own system-event stream for its CLI (docs/provider-app.md)"),
          Map.entry(
              "stream.containerApps.logstream GET",
              "the log-stream host's data plane, reached with getAuthToken's token"),
          Map.entry(
              "stream.containerApps.eventstream GET",
              "the log-stream host's data plane, reached with getAuthToken's token"),
          Map.entry(
              "stream.managedEnvironments.eventstream GET",
              "the log-stream host's data plane, reached with getAuthToken's token"));

  private static ArmServer arm;

  /**
   * One operation: the spec's operation id, the route it reaches, the request, the spec's codes.
   */
  record Op(
      String operation, String route, String method, String url, String body, Set<Integer> spec) {
    @Override
    public String toString() {
      return operation + " (" + method + " " + url + ")";
    }
  }

  private static final List<Op> SENT = new ArrayList<>();
  private static final List<String> MISMATCHES = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    arm = ArmServer.withTypes(store -> Providers.all(store, Duration.ofSeconds(1)));
  }

  @AfterAll
  static void stop() throws Exception {
    arm.close();
  }

  private static Reply send(Op op) throws Exception {
    Reply r = arm.send(op.method(), op.url(), "owner", op.body());
    SENT.add(op);
    if (!op.spec().contains(r.status())) {
      MISMATCHES.add(op + " answered " + r.status() + ", the spec lists " + op.spec());
    }
    return r;
  }

  private static Reply op(
      String operation, String route, String method, String url, String body, Integer... spec)
      throws Exception {
    return send(new Op(operation, route, method, url, body, Set.of(spec)));
  }

  /** Waits until the resource's long-running write or delete has ended. */
  private static void settle(String url) {
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () -> {
              Reply r = arm.get(url, "owner");
              String s =
                  r.json() == null ? "" : r.json().at("/properties/provisioningState").asText();
              return r.status() == 404 || Set.of("Succeeded", "Failed", "Canceled").contains(s);
            });
  }

  @Test
  void everyServedOperationAnswersAStatusItsSpecLists() throws Exception {
    resources();
    String principal = identities();
    authorization(principal);
    registries();
    apps();
    workspaces();
    deletes();
    assertThat(MISMATCHES).isEmpty();
    everyRouteAndTypeHasARow();
  }

  /** Microsoft.Resources 2021-04-01 (resources.json, subscriptions.json). */
  private static void resources() throws Exception {
    String rg = "/subscriptions/" + SUB + "/resourcegroups/rg1" + RES;
    op(
        "ResourceGroups_CreateOrUpdate",
        "groups.put",
        "PUT",
        rg,
        "{\"location\":\"local\"}",
        200,
        201);
    op(
        "ResourceGroups_CreateOrUpdate",
        "groups.put",
        "PUT",
        rg,
        "{\"location\":\"local\",\"tags\":{\"a\":\"b\"}}",
        200,
        201);
    op("ResourceGroups_Get", "groups.get", "GET", rg, null, 200);
    op("ResourceGroups_CheckExistence", "groups.head", "HEAD", rg, null, 204, 404);
    op("ResourceGroups_Update", "groups.patch", "PATCH", rg, "{\"tags\":{\"c\":\"d\"}}", 200);
    op(
        "ResourceGroups_List",
        "groups.list",
        "GET",
        "/subscriptions/" + SUB + "/resourcegroups" + RES,
        null,
        200);
    op(
        "Resources_ListByResourceGroup",
        "groups.resources",
        "GET",
        RG + "/resources" + RES,
        null,
        200);
    op(
        "Resources_List",
        "resources.list",
        "GET",
        "/subscriptions/" + SUB + "/resources" + RES,
        null,
        200);
    op("Subscriptions_List", "subscriptions.list", "GET", "/subscriptions" + RES, null, 200);
    op("Subscriptions_Get", "subscriptions.get", "GET", "/subscriptions/" + SUB + RES, null, 200);
    op("Tenants_List", "tenants.list", "GET", "/tenants" + RES, null, 200);
    op(
        "Subscriptions_ListLocations",
        "locations.list",
        "GET",
        "/subscriptions/" + SUB + "/locations" + RES,
        null,
        200);
    op(
        "Providers_List",
        "providers.list",
        "GET",
        "/subscriptions/" + SUB + "/providers" + RES,
        null,
        200);
    op(
        "Providers_Get",
        "providers.get",
        "GET",
        "/subscriptions/" + SUB + "/providers/Microsoft.App" + RES,
        null,
        200);
    op(
        "Providers_Register",
        "providers.register",
        "POST",
        "/subscriptions/" + SUB + "/providers/Microsoft.App/register" + RES,
        null,
        200);
  }

  /** Microsoft.ManagedIdentity 2023-01-31 (ManagedIdentity.json). */
  private static String identities() throws Exception {
    String type = "microsoft.managedidentity/userassignedidentities";
    Reply created =
        op(
            "UserAssignedIdentities_CreateOrUpdate",
            type + " PUT",
            "PUT",
            MSI + ID,
            "{\"location\":\"local\"}",
            200,
            201);
    op(
        "UserAssignedIdentities_CreateOrUpdate",
        type + " PUT",
        "PUT",
        MSI + ID,
        "{\"location\":\"local\",\"tags\":{\"a\":\"b\"}}",
        200,
        201);
    op(
        "UserAssignedIdentities_Update",
        type + " PATCH",
        "PATCH",
        MSI + ID,
        "{\"tags\":{\"c\":\"d\"}}",
        200);
    op("UserAssignedIdentities_Get", type + " GET", "GET", MSI + ID, null, 200);
    op(
        "UserAssignedIdentities_ListByResourceGroup",
        type + " LIST",
        "GET",
        RG + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities" + ID,
        null,
        200);
    op(
        "UserAssignedIdentities_ListBySubscription",
        type + " LIST",
        "GET",
        "/subscriptions/"
            + SUB
            + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities"
            + ID,
        null,
        200);
    op("Resources_CheckExistenceById", type + " HEAD", "HEAD", MSI + ID, null, 204, 404);
    return created.json().at("/properties/principalId").asText();
  }

  /**
   * Microsoft.Authorization 2022-04-01 (authorization-RoleAssignmentsCalls.json,
   * …RoleDefinitionsCalls.json).
   */
  private static void authorization(String principal) throws Exception {
    String ra =
        RG
            + "/providers/Microsoft.Authorization/roleAssignments/0b7f1f5c-0000-4000-8000-000000000001"
            + AUTHZ;
    String body =
        "{\"properties\":{\"roleDefinitionId\":\"/subscriptions/"
            + SUB
            + "/providers/Microsoft.Authorization/roleDefinitions/"
            + ACR_PULL
            + "\",\"principalId\":\""
            + principal
            + "\",\"principalType\":\"ServicePrincipal\"}}";
    op("RoleAssignments_Create", "roleAssignments.put", "PUT", ra, body, 200, 201);
    op("RoleAssignments_Get", "roleAssignments.get", "GET", ra, null, 200);
    op(
        "RoleAssignments_ListForScope",
        "roleAssignments.list",
        "GET",
        RG + "/providers/Microsoft.Authorization/roleAssignments" + AUTHZ,
        null,
        200);
    op(
        "RoleDefinitions_List",
        "roleDefinitions.list",
        "GET",
        RG + "/providers/Microsoft.Authorization/roleDefinitions" + AUTHZ,
        null,
        200);
    op(
        "RoleDefinitions_Get",
        "roleDefinitions.get",
        "GET",
        RG + "/providers/Microsoft.Authorization/roleDefinitions/" + ACR_PULL + AUTHZ,
        null,
        200);
    op(
        "Permissions_ListForResourceGroup",
        "permissions.list",
        "GET",
        RG + "/providers/Microsoft.Authorization/permissions" + AUTHZ,
        null,
        200);
    op("RoleAssignments_Delete", "roleAssignments.delete", "DELETE", ra, null, 200, 204);
  }

  /** Microsoft.ContainerRegistry 2022-02-01-preview and 2023-07-01 (containerregistry.json). */
  private static void registries() throws Exception {
    String type = "microsoft.containerregistry/registries";
    String create =
        "{\"location\":\"local\",\"sku\":{\"name\":\"Premium\"},\"properties\":{\"adminUserEnabled\":false}}";
    op("Registries_Create", type + " PUT", "PUT", ACR + ACR_AZ, create, 200, 201);
    settle(ACR + ACR_AZ);
    op(
        "Registries_Create",
        type + " PUT",
        "PUT",
        ACR + ACR_AZ,
        create.replace("false", "true"),
        200,
        201);
    settle(ACR + ACR_AZ);
    String policy =
        "{\"properties\":{\"policies\":{\"azureADAuthenticationAsArmPolicy\":{\"status\":\"disabled\"}}}}";
    for (String v : List.of(ACR_AZ, ACR_SDK)) {
      Reply patched = op("Registries_Update", type + " PATCH", "PATCH", ACR + v, policy, 200, 201);
      // az's poller reads the body of a 200 or 201 (a 202 with none made it fail).
      assertThat(patched.json()).as("the registry in the PATCH reply").isNotNull();
      assertThat(patched.json().at("/properties/policies").isObject()).isTrue();
      settle(ACR + v);
    }
    op("Registries_Get", type + " GET", "GET", ACR + ACR_AZ, null, 200);
    op(
        "Registries_ListByResourceGroup",
        type + " LIST",
        "GET",
        RG + "/providers/Microsoft.ContainerRegistry/registries" + ACR_AZ,
        null,
        200);
    op(
        "Registries_List",
        type + " LIST",
        "GET",
        "/subscriptions/" + SUB + "/providers/Microsoft.ContainerRegistry/registries" + ACR_AZ,
        null,
        200);
    op("Resources_CheckExistenceById", type + " HEAD", "HEAD", ACR + ACR_AZ, null, 204, 404);
    op(
        "Registries_ListCredentials",
        type + " POST",
        "POST",
        ACR + "/listCredentials" + ACR_AZ,
        null,
        200);
    op(
        "Registries_RegenerateCredential",
        type + " POST",
        "POST",
        ACR + "/regenerateCredential" + ACR_AZ,
        "{\"name\":\"password\"}",
        200);
    op(
        "Registries_CheckNameAvailability",
        "generic.action",
        "POST",
        "/subscriptions/"
            + SUB
            + "/providers/Microsoft.ContainerRegistry/checkNameAvailability"
            + ACR_AZ,
        "{\"name\":\"acrother\",\"type\":\"Microsoft.ContainerRegistry/registries\"}",
        200);

    String maps = "microsoft.containerregistry/registries/scopemaps";
    String map = ACR + "/scopeMaps/mapone";
    String actions = "{\"properties\":{\"actions\":[\"repositories/app/content/read\"]}}";
    op("ScopeMaps_Create", maps + " PUT", "PUT", map + ACR_AZ, actions, 200, 201);
    op(
        "ScopeMaps_Create",
        maps + " PUT",
        "PUT",
        map + ACR_AZ,
        actions.replace("read\"", "read\",\"repositories/app/metadata/read\""),
        200,
        201);
    op(
        "ScopeMaps_Update",
        maps + " PATCH",
        "PATCH",
        map + ACR_AZ,
        "{\"properties\":{\"description\":\"d\"}}",
        200,
        201);
    op("ScopeMaps_Get", maps + " GET", "GET", map + ACR_AZ, null, 200);
    op("ScopeMaps_List", maps + " LIST", "GET", ACR + "/scopeMaps" + ACR_AZ, null, 200);
    op("Resources_CheckExistenceById", maps + " HEAD", "HEAD", map + ACR_AZ, null, 204, 404);

    String tokens = "microsoft.containerregistry/registries/tokens";
    String token = ACR + "/tokens/tokone";
    String tokenBody = "{\"properties\":{\"scopeMapId\":\"" + map + "\"}}";
    op("Tokens_Create", tokens + " PUT", "PUT", token + ACR_AZ, tokenBody, 200, 201);
    op(
        "Tokens_Create",
        tokens + " PUT",
        "PUT",
        token + ACR_AZ,
        tokenBody.replace("}}", ",\"status\":\"disabled\"}}"),
        200,
        201);
    op(
        "Tokens_Update",
        tokens + " PATCH",
        "PATCH",
        token + ACR_AZ,
        "{\"properties\":{\"status\":\"enabled\"}}",
        200,
        201);
    op("Tokens_Get", tokens + " GET", "GET", token + ACR_AZ, null, 200);
    op("Tokens_List", tokens + " LIST", "GET", ACR + "/tokens" + ACR_AZ, null, 200);
    op("Resources_CheckExistenceById", tokens + " HEAD", "HEAD", token + ACR_AZ, null, 204, 404);
    op(
        "Registries_GenerateCredentials",
        type + " POST",
        "POST",
        ACR + "/generateCredentials" + ACR_AZ,
        "{\"tokenId\":\"" + token + "\"}",
        200,
        202);
    op("Tokens_Delete", tokens + " DELETE", "DELETE", token + ACR_AZ, null, 200, 202, 204);
    op("ScopeMaps_Delete", maps + " DELETE", "DELETE", map + ACR_AZ, null, 200, 202, 204);
  }

  /**
   * Microsoft.App 2023-05-01 and 2023-05-02-preview (ManagedEnvironments.json,
   * ContainerApps*.json).
   */
  private static void apps() throws Exception {
    String envs = "microsoft.app/managedenvironments";
    op(
        "ManagedEnvironments_CreateOrUpdate",
        envs + " PUT",
        "PUT",
        ENV + APPV,
        "{\"location\":\"local\"}",
        200,
        201);
    settle(ENV + APPV);
    op(
        "ManagedEnvironments_CreateOrUpdate",
        envs + " PUT",
        "PUT",
        ENV + APPV,
        "{\"location\":\"local\",\"tags\":{\"a\":\"b\"}}",
        200,
        201);
    settle(ENV + APPV);
    op(
        "ManagedEnvironments_Update",
        envs + " PATCH",
        "PATCH",
        ENV + APPV,
        "{\"tags\":{\"c\":\"d\"}}",
        200,
        202);
    settle(ENV + APPV);
    op("ManagedEnvironments_Get", envs + " GET", "GET", ENV + APPV, null, 200);
    op(
        "ManagedEnvironments_GetAuthToken",
        envs + " POST",
        "POST",
        ENV + "/getAuthToken" + APPV,
        null,
        200);
    op(
        "ManagedEnvironments_ListByResourceGroup",
        envs + " LIST",
        "GET",
        RG + "/providers/Microsoft.App/managedEnvironments" + APPV,
        null,
        200);
    op(
        "ManagedEnvironments_ListBySubscription",
        envs + " LIST",
        "GET",
        "/subscriptions/" + SUB + "/providers/Microsoft.App/managedEnvironments" + APPV,
        null,
        200);
    op("Resources_CheckExistenceById", envs + " HEAD", "HEAD", ENV + APPV, null, 204, 404);

    String apps = "microsoft.app/containerapps";
    String app =
        "{\"location\":\"local\",\"properties\":{\"environmentId\":\""
            + ENV
            + "\",\"template\":{\"containers\":[{\"name\":\"api\",\"image\":\"localhost:5001/api:1\"}]}}}";
    Reply created =
        op("ContainerApps_CreateOrUpdate", apps + " PUT", "PUT", APP + APP_PREVIEW, app, 200, 201);
    assertThat(created.status()).as("a PUT that creates").isEqualTo(201);
    assertThat(created.header("Azure-AsyncOperation")).as("az polls a 201 through it").isNotNull();
    settle(APP + APPV);
    Reply replaced =
        op(
            "ContainerApps_CreateOrUpdate",
            apps + " PUT",
            "PUT",
            APP + APPV,
            app.replace("\"location\":\"local\"", "\"location\":\"local\",\"tags\":{\"a\":\"b\"}"),
            200,
            201);
    assertThat(replaced.status())
        .as("ARM answers a PUT on an existing app with 200")
        .isEqualTo(200);
    // The change goes on in the background: the SDKs poll whenever the header is there.
    assertThat(replaced.header("Azure-AsyncOperation")).isNotNull();
    assertThat(replaced.json().at("/properties/provisioningState").asText())
        .isEqualTo("InProgress");
    settle(APP + APPV);
    op(
        "ContainerApps_Update",
        apps + " PATCH",
        "PATCH",
        APP + APP_PREVIEW,
        "{\"tags\":{\"c\":\"d\"}}",
        200,
        202);
    settle(APP + APPV);
    Reply got = op("ContainerApps_Get", apps + " GET", "GET", APP + APPV, null, 200);
    op(
        "ContainerApps_ListByResourceGroup",
        apps + " LIST",
        "GET",
        RG + "/providers/Microsoft.App/containerApps" + APPV,
        null,
        200);
    op(
        "ContainerApps_ListBySubscription",
        apps + " LIST",
        "GET",
        "/subscriptions/" + SUB + "/providers/Microsoft.App/containerApps" + APPV,
        null,
        200);
    op("Resources_CheckExistenceById", apps + " HEAD", "HEAD", APP + APPV, null, 204, 404);
    op("ContainerApps_ListSecrets", apps + " POST", "POST", APP + "/listSecrets" + APPV, null, 200);
    op(
        "ContainerApps_GetAuthToken",
        apps + " POST",
        "POST",
        APP + "/getAuthToken" + APPV,
        null,
        200);

    String revisions = "microsoft.app/containerapps/revisions";
    String rev = APP + "/revisions/" + got.json().at("/properties/latestRevisionName").asText();
    op(
        "ContainerAppsRevisions_ListRevisions",
        revisions + " LIST",
        "GET",
        APP + "/revisions" + APPV,
        null,
        200);
    op("ContainerAppsRevisions_GetRevision", revisions + " GET", "GET", rev + APPV, null, 200);
    op(
        "ContainerAppsRevisions_RestartRevision",
        revisions + " POST",
        "POST",
        rev + "/restart" + APPV,
        null,
        200);
    op(
        "ContainerAppsRevisions_ActivateRevision",
        revisions + " POST",
        "POST",
        rev + "/activate" + APPV,
        null,
        200);
    op("Resources_CheckExistenceById", revisions + " HEAD", "HEAD", rev + APPV, null, 204, 404);

    String replicas = "microsoft.app/containerapps/revisions/replicas";
    op(
        "ContainerAppsRevisionReplicas_ListReplicas",
        replicas + " LIST",
        "GET",
        rev + "/replicas" + APPV,
        null,
        200);
    // No reconciler runs here, so no replica exists: ARM's 404 is the spec's default.
    op(
        "ContainerAppsRevisionReplicas_GetReplica",
        replicas + " GET",
        "GET",
        rev + "/replicas/none" + APPV,
        null,
        404);
    op(
        "Resources_CheckExistenceById",
        replicas + " HEAD",
        "HEAD",
        rev + "/replicas/none" + APPV,
        null,
        204,
        404);
  }

  /** Microsoft.OperationalInsights 2022-10-01 (Workspaces.json) and 2020-08-01 (SharedKeys). */
  private static void workspaces() throws Exception {
    String type = "microsoft.operationalinsights/workspaces";
    String ws = RG + "/providers/Microsoft.OperationalInsights/workspaces/logs1";
    String v = "?api-version=2022-10-01";
    String body = "{\"location\":\"local\",\"properties\":{\"retentionInDays\":30}}";
    op("Workspaces_CreateOrUpdate", type + " PUT", "PUT", ws + v, body, 200, 201, 202);
    op("Workspaces_CreateOrUpdate", type + " PUT", "PUT", ws + v, body, 200, 201, 202);
    op("Workspaces_Update", type + " PATCH", "PATCH", ws + v, "{\"tags\":{\"c\":\"d\"}}", 200);
    op("Workspaces_Get", type + " GET", "GET", ws + v, null, 200);
    op(
        "Workspaces_ListByResourceGroup",
        type + " LIST",
        "GET",
        RG + "/providers/Microsoft.OperationalInsights/workspaces" + v,
        null,
        200);
    op("Resources_CheckExistenceById", type + " HEAD", "HEAD", ws + v, null, 204, 404);
    op(
        "SharedKeys_GetSharedKeys",
        type + " POST",
        "POST",
        ws + "/sharedKeys?api-version=2020-08-01",
        null,
        200);
    op("Workspaces_Delete", type + " DELETE", "DELETE", ws + v, null, 200, 202, 204);
  }

  private static void deletes() throws Exception {
    for (String[] d :
        new String[][] {
          {"ContainerApps_Delete", "microsoft.app/containerapps", APP + APPV},
          {"ManagedEnvironments_Delete", "microsoft.app/managedenvironments", ENV + APPV},
          {"Registries_Delete", "microsoft.containerregistry/registries", ACR + ACR_AZ},
        }) {
      op(d[0], d[1] + " DELETE", "DELETE", d[2], null, 200, 202, 204);
      settle(d[2]);
      op(d[0], d[1] + " DELETE", "DELETE", d[2], null, 200, 202, 204);
    }
    op(
        "UserAssignedIdentities_Delete",
        "microsoft.managedidentity/userassignedidentities DELETE",
        "DELETE",
        MSI + ID,
        null,
        200,
        204);
    op(
        "UserAssignedIdentities_Delete",
        "microsoft.managedidentity/userassignedidentities DELETE",
        "DELETE",
        MSI + ID,
        null,
        200,
        204);
    Reply deleted =
        op(
            "ResourceGroups_Delete",
            "groups.delete",
            "DELETE",
            "/subscriptions/" + SUB + "/resourcegroups/rg1" + RES,
            null,
            200,
            202);
    // The operation URLs are ARM's (the RPC's async-api-reference), not a provider's spec.
    op(
        "RPC: Azure-AsyncOperation",
        "operations.status",
        "GET",
        deleted.header("Azure-AsyncOperation"),
        null,
        200);
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> arm.get(deleted.header("Location"), "owner").status() != 202);
    op(
        "RPC: Location",
        "operations.result",
        "GET",
        deleted.header("Location"),
        null,
        200,
        202,
        204);
  }

  /**
   * Every route and every resource type's operations were sent (or are listed as not in a spec).
   */
  private static void everyRouteAndTypeHasARow() {
    Set<String> sent = new LinkedHashSet<>();
    // Type rows are named "{type} {verb}"; route rows by the route's name, keyed with the method.
    SENT.forEach(o -> sent.add(o.route().contains(" ") ? o.route() : o.route() + " " + o.method()));
    List<Route<ArmRoute>> routes = new ArrayList<>(arm.routes().plain().routes());
    routes.addAll(arm.routes().extensions().routes());
    Function<Route<ArmRoute>, String> key = r -> r.payload().name() + " " + r.method();
    List<String> missing = new ArrayList<>();
    for (Route<ArmRoute> r : routes) {
      String k = key.apply(r);
      if (!r.payload().name().startsWith("generic.")
          && !NOT_IN_A_SPEC.containsKey(k)
          && !sent.contains(k)) {
        missing.add("the route " + k);
      }
    }
    for (ResourceType t : Providers.all(arm.store, Duration.ofSeconds(1))) {
      List<String> verbs =
          t.serverManaged()
              ? List.of("GET", "LIST", "HEAD")
              : List.of("PUT", "PATCH", "DELETE", "GET", "LIST", "HEAD");
      for (String verb : verbs) {
        if (!sent.contains(t.type().toLowerCase(Locale.ROOT) + " " + verb)) {
          missing.add(verb + " on " + t.type());
        }
      }
    }
    assertThat(missing).as("served operations with no row").isEmpty();
  }
}
