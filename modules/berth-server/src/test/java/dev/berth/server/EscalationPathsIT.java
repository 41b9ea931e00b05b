package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The escalation paths issue 10 found, closed, against a running Berth with real tokens: a
 * Contributor of one group may not run an app as another group's identity nor place it in another
 * group's environment (403 {@code LinkedAuthorizationFailed}); a deleted service principal's
 * registry refresh and access tokens stop working at once (401 {@code UNAUTHORIZED}), and its role
 * assignments, like a deleted identity's, are gone.
 */
@Timeout(120)
class EscalationPathsIT {

  @RegisterExtension static final RunningBerth BERTH = new RunningBerth();

  private static final String APP_V = "?api-version=2025-07-01";
  private static final String MI_V = "?api-version=2023-01-31";
  private static final String LOCAL = "{\"location\":\"local\"}";

  private static BootstrapInfo boot;
  private static Https https;
  private static String owner;
  private static Principals principals;
  private static RegistryFixture acr;
  private static HttpClient registryClient;

  @BeforeAll
  static void logIn() throws Exception {
    boot = BERTH.bootstrap();
    acr = new RegistryFixture(BERTH);
    https = acr.https;
    owner = acr.owner;
    principals = new Principals(https, boot, owner);
    registryClient =
        HttpClient.newBuilder()
            .sslContext(Https.trusting(BERTH.caFile()))
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  private static String group(String name) throws Exception {
    String id = "/subscriptions/" + boot.subscriptionId() + "/resourceGroups/" + name;
    assertThat(https.send("PUT", id + "?api-version=2021-04-01", owner, LOCAL).statusCode())
        .isIn(200, 201);
    return id;
  }

  private static String appBody(String env, String identity) {
    String id =
        identity == null
            ? ""
            : ",\"identity\":{\"type\":\"UserAssigned\",\"userAssignedIdentities\":{\""
                + identity
                + "\":{}}}";
    return "{\"location\":\"local\""
        + id
        + ",\"properties\":{\"environmentId\":\""
        + env
        + "\",\"template\":{\"containers\":[{\"name\":\"api\",\"image\":\"localhost:1/x:1\"}]}}}";
  }

  private static void assertLinkedRefusal(HttpResponse<String> r, String action, String linked)
      throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
    JsonNode error = Https.json(r).path("error");
    assertThat(error.path("code").asText()).isEqualTo("LinkedAuthorizationFailed");
    assertThat(error.path("message").asText())
        .contains("does not have permission to perform action(s) '" + action + "'")
        .contains("on the linked scope(s) '" + linked + "'");
  }

  @Test
  void aContributorOfAnotherGroupCannotBorrowItsIdentityOrEnvironment() throws Exception {
    String rg1 = group("esc-rg1");
    String rg2 = group("esc-rg2");
    // rg1's identity is Owner of the subscription: the prize of issue 10, point 1.
    String boss = rg1 + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/boss";
    var identity = https.send("PUT", boss + MI_V, owner, LOCAL);
    assertThat(identity.statusCode()).isIn(200, 201);
    principals.grant(
        Principals.OWNER,
        Https.json(identity).at("/properties/principalId").asText(),
        "/subscriptions/" + boot.subscriptionId());
    String env1 = rg1 + "/providers/Microsoft.App/managedEnvironments/env1";
    String env2 = rg2 + "/providers/Microsoft.App/managedEnvironments/env2";
    assertThat(https.send("PUT", env1 + APP_V, owner, LOCAL).statusCode()).isEqualTo(201);
    assertThat(https.send("PUT", env2 + APP_V, owner, LOCAL).statusCode()).isEqualTo(201);
    Principals.Created c2 = principals.withRole(Principals.CONTRIBUTOR, rg2);

    String app = rg2 + "/providers/Microsoft.App/containerApps/";
    assertLinkedRefusal(
        https.send("PUT", app + "borrower" + APP_V, c2.token(), appBody(env2, boss)),
        "Microsoft.ManagedIdentity/userAssignedIdentities/assign/action",
        boss);
    assertThat(https.send("GET", app + "borrower" + APP_V, owner, null).statusCode())
        .isEqualTo(404);
    assertLinkedRefusal(
        https.send("PUT", app + "squatter" + APP_V, c2.token(), appBody(env1, null)),
        "Microsoft.App/managedEnvironments/join/action",
        env1);
    assertThat(https.send("PUT", app + "own" + APP_V, c2.token(), appBody(env2, null)).statusCode())
        .isEqualTo(201);

    // Whoever may assign the identity (Managed Identity Operator on it) may link it.
    principals.grant(Principals.MANAGED_IDENTITY_OPERATOR, c2.principalId(), boss);
    String fresh = https.token(boot.tenantId(), c2.appId(), c2.secret(), boot.managementEndpoint());
    assertThat(https.send("PUT", app + "borrower" + APP_V, fresh, appBody(env2, boss)).statusCode())
        .isEqualTo(201);
  }

  @Test
  void aDeletedServicePrincipalLosesItsRegistrySessionAndItsRoles() throws Exception {
    String registry = acr.createRegistry("esc-acr", "escacr", "{}");
    String server = acr.loginServer(registry);
    Principals.Created pusher = principals.withRole(RegistryFixture.ACR_PUSH, registry);
    String refresh = acr.refreshToken(server, pusher.appId(), pusher.secret());
    var before = token(server, refresh);
    assertThat(before.statusCode()).as(before.body()).isEqualTo(200);
    String access = Https.json(before).path("access_token").asText();
    assertThat(v2(server, access).statusCode()).isNotEqualTo(401);

    var deleted =
        https.send(
            "DELETE",
            "/providers/Berth.Identity/servicePrincipals/"
                + pusher.appId()
                + "?api-version=2025-01-01",
            owner,
            null);
    assertThat(deleted.statusCode()).isEqualTo(200);

    var after = token(server, refresh);
    assertThat(after.statusCode()).as(after.body()).isEqualTo(401);
    assertThat(Https.json(after).at("/errors/0/code").asText()).isEqualTo("UNAUTHORIZED");
    var stale = v2(server, access);
    assertThat(stale.statusCode()).isEqualTo(401);
    assertThat(Https.json(stale).at("/errors/0/code").asText()).isEqualTo("UNAUTHORIZED");
    assertThat(assignmentsOf(pusher.principalId())).isEmpty();
  }

  @Test
  void aDeletedIdentityLosesItsRoles() throws Exception {
    String rg = group("esc-ids");
    String id = rg + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/short-lived";
    var created = https.send("PUT", id + MI_V, owner, LOCAL);
    String principalId = Https.json(created).at("/properties/principalId").asText();
    principals.grant(Principals.READER, principalId, "/subscriptions/" + boot.subscriptionId());
    assertThat(assignmentsOf(principalId)).hasSize(1);
    assertThat(https.send("DELETE", id + MI_V, owner, null).statusCode()).isEqualTo(200);
    assertThat(assignmentsOf(principalId)).isEmpty();
  }

  private static JsonNode assignmentsOf(String principalId) throws Exception {
    var r =
        https.send(
            "GET",
            "/subscriptions/"
                + boot.subscriptionId()
                + "/providers/Microsoft.Authorization/roleAssignments?$filter="
                + URLEncoder.encode("principalId eq '" + principalId + "'", StandardCharsets.UTF_8)
                + "&api-version=2022-04-01",
            owner,
            null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Https.json(r).path("value");
  }

  /** {@code POST /oauth2/token} with an ACR refresh token, on the registry's login server. */
  private static HttpResponse<String> token(String server, String refresh) throws Exception {
    String form =
        "grant_type=refresh_token&service="
            + URLEncoder.encode(server, StandardCharsets.UTF_8)
            + "&scope="
            + URLEncoder.encode("repository:app:pull,push", StandardCharsets.UTF_8)
            + "&refresh_token="
            + URLEncoder.encode(refresh, StandardCharsets.UTF_8);
    return registryClient.send(
        HttpRequest.newBuilder(URI.create("https://" + server + "/oauth2/token"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A pull-scope data-plane call with an ACR access token. */
  private static HttpResponse<String> v2(String server, String access) throws Exception {
    return registryClient.send(
        HttpRequest.newBuilder(URI.create("https://" + server + "/v2/app/tags/list"))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + access)
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
