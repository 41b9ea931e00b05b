package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.Principal;
import dev.berth.identity.IdentityConfig;
import dev.berth.identity.SigningKeys;
import dev.berth.identity.TokenIssuer;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every ARM call is authenticated and authorized: each kind of bad token is refused with 401 and
 * its own code, each missing permission with 403 in ARM's wording; the Owner may do everything.
 */
class RbacIT {

  @RegisterExtension static final RunningBerth BERTH = new RunningBerth();

  private static final String READER = Principals.READER;
  private static final String CONTRIBUTOR = Principals.CONTRIBUTOR;

  private static Https https;
  private static BootstrapInfo boot;
  private static String owner;
  private static Principals principals;

  @BeforeAll
  static void logIn() throws Exception {
    boot = BERTH.bootstrap();
    https = new Https(BERTH.caFile(), boot.managementEndpoint());
    owner =
        https.token(
            boot.tenantId(), boot.clientId(), boot.clientSecret(), boot.managementEndpoint());
    principals = new Principals(https, boot, owner);
  }

  private static String group(String name) {
    return "/subscriptions/"
        + boot.subscriptionId()
        + "/resourceGroups/"
        + name
        + "?api-version=2021-04-01";
  }

  private static void assertArmError(HttpResponse<String> r, int status, String code)
      throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(Https.json(r).path("error").path("code").asText()).isEqualTo(code);
  }

  @Test
  void noTokenIs401WithAChallenge() throws Exception {
    var r = https.send("GET", group("x"), null, null);
    assertArmError(r, 401, "AuthenticationFailed");
    assertThat(r.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer "));
  }

  @Test
  void expiredTokenIs401Expired() throws Exception {
    IdentityConfig config =
        IdentityConfig.of(
                boot.tenantId(), URI.create(boot.authority()), BERTH.dataDir().resolve("keys"))
            .withClock(Clock.offset(Clock.systemUTC(), Duration.ofHours(-3)));
    String expired =
        new TokenIssuer(config, SigningKeys.loadOrCreate(config.keyDirectory()))
            .issue(ownerPrincipal(), boot.managementEndpoint(), TokenIssuer.Version.V2)
            .accessToken();
    assertArmError(https.send("GET", group("x"), expired, null), 401, "ExpiredAuthenticationToken");
  }

  @Test
  void tokenSignedByAnotherKeyIs401Invalid() throws Exception {
    IdentityConfig config =
        IdentityConfig.of(
            boot.tenantId(), URI.create(boot.authority()), BERTH.dataDir().resolve("keys"));
    String forged =
        new TokenIssuer(config, SigningKeys.ephemeral())
            .issue(ownerPrincipal(), boot.managementEndpoint(), TokenIssuer.Version.V2)
            .accessToken();
    assertArmError(https.send("GET", group("x"), forged, null), 401, "InvalidAuthenticationToken");
  }

  @Test
  void registryAudienceTokenIs401WrongAudience() throws Exception {
    String acr =
        https.token(
            boot.tenantId(),
            boot.clientId(),
            boot.clientSecret(),
            "https://containerregistry.azure.net");
    assertArmError(
        https.send("GET", group("x"), acr, null), 401, "InvalidAuthenticationTokenAudience");
  }

  @Test
  void readerReadsButCannotWrite() throws Exception {
    assertThat(
            https.send("PUT", group("reader-rg"), owner, "{\"location\":\"local\"}").statusCode())
        .isIn(200, 201);
    String reader = principalWithRole(READER, "/subscriptions/" + boot.subscriptionId());

    assertThat(https.send("GET", group("reader-rg"), reader, null).statusCode()).isEqualTo(200);
    var write =
        https.send(
            "PUT", group("reader-rg"), reader, "{\"location\":\"local\",\"tags\":{\"a\":\"b\"}}");
    assertArmError(write, 403, "AuthorizationFailed");
    assertThat(Https.json(write).path("error").path("message").asText())
        .contains(
            "does not have authorization to perform action 'Microsoft.Resources/subscriptions/resourceGroups/write'")
        .contains(
            "over scope '/subscriptions/" + boot.subscriptionId() + "/resourceGroups/reader-rg'");
  }

  @Test
  void contributorWritesResourcesButCannotAssignRoles() throws Exception {
    String contributor = principalWithRole(CONTRIBUTOR, "/subscriptions/" + boot.subscriptionId());
    assertThat(
            https
                .send("PUT", group("contrib-rg"), contributor, "{\"location\":\"local\"}")
                .statusCode())
        .isIn(200, 201);

    var assign =
        assignRole(
            contributor,
            READER,
            UUID.randomUUID().toString(),
            "/subscriptions/" + boot.subscriptionId() + "/resourceGroups/contrib-rg");
    assertArmError(assign, 403, "AuthorizationFailed");
  }

  @Test
  void ownerAssignsRoles() throws Exception {
    assertThat(https.send("PUT", group("owner-rg"), owner, "{\"location\":\"local\"}").statusCode())
        .isIn(200, 201);
    var assign =
        assignRole(
            owner,
            READER,
            UUID.randomUUID().toString(),
            "/subscriptions/" + boot.subscriptionId() + "/resourceGroups/owner-rg");
    assertThat(assign.statusCode()).as(assign.body()).isEqualTo(201);
  }

  /**
   * Roles at resource-group and at resource scope (never only at the subscription, where a route
   * that checks the wrong scope still passes) decide each Microsoft.App action; a Contributor of
   * another group gets nothing. An allowed write or delete carries an If-Match that cannot hold
   * (412 once RBAC let it through); an allowed log stream finds no replica log (404).
   */
  @Test
  void microsoftAppActionsFollowRolesAtGroupAndResourceScope() throws Exception {
    String rg1 = "/subscriptions/" + boot.subscriptionId() + "/resourceGroups/app-rg1";
    String rg2 = "/subscriptions/" + boot.subscriptionId() + "/resourceGroups/app-rg2";
    String v = "?api-version=2025-07-01";
    for (String rg : List.of(rg1, rg2)) {
      assertThat(https.send("PUT", rg + "?api-version=2021-04-01", owner, LOCAL).statusCode())
          .isIn(200, 201);
    }
    String env = rg1 + "/providers/Microsoft.App/managedEnvironments/env1";
    assertThat(https.send("PUT", env + v, owner, LOCAL).statusCode()).isEqualTo(201);
    String app = rg1 + "/providers/Microsoft.App/containerApps/app1";
    var created = https.send("PUT", app + v, owner, appBody(env, "localhost:5001/api:1"));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String revision =
        app
            + "/revisions/"
            + Https.json(https.send("GET", app + v, owner, null))
                .at("/properties/latestRevisionName")
                .asText();

    record Call(String action, String scope, String method, String url, String body, int ok) {}
    List<Call> calls =
        List.of(
            new Call("Microsoft.App/containerApps/read", app, "GET", app + v, null, 200),
            new Call(
                "Microsoft.App/containerApps/write",
                app,
                "PUT",
                app + v,
                appBody(env, "localhost:5001/api:2"),
                412),
            new Call("Microsoft.App/containerApps/delete", app, "DELETE", app + v, null, 412),
            new Call(
                "Microsoft.App/containerApps/listSecrets/action",
                app,
                "POST",
                app + "/listSecrets" + v,
                "{}",
                200),
            new Call(
                "Microsoft.App/containerApps/getAuthToken/action",
                app,
                "GET",
                revision + "/replicas/r1/containers/api/logstream" + v,
                null,
                404),
            new Call(
                "Microsoft.App/containerApps/revisions/restart/action",
                revision,
                "POST",
                revision + "/restart" + v,
                "{}",
                200));
    Map<String, String> callers = new LinkedHashMap<>();
    callers.put("Reader@group", principalWithRole(READER, rg1));
    callers.put("Reader@app", principalWithRole(READER, app));
    callers.put("Contributor@group", principalWithRole(CONTRIBUTOR, rg1));
    callers.put("Contributor@app", principalWithRole(CONTRIBUTOR, app));
    callers.put("Contributor@otherGroup", principalWithRole(CONTRIBUTOR, rg2));

    List<String> wrong = new ArrayList<>();
    for (var caller : callers.entrySet()) {
      for (Call c : calls) {
        boolean allowed =
            (caller.getKey().startsWith("Contributor@") && !caller.getKey().endsWith("otherGroup"))
                || (caller.getKey().startsWith("Reader@")
                    && c.method().equals("GET")
                    && c.action().endsWith("/read"));
        var r =
            c.method().equals("PUT") || c.method().equals("DELETE")
                ? https.sendWithHeader(
                    c.method(), c.url(), caller.getValue(), c.body(), "If-Match", "\"x\"")
                : https.send(c.method(), c.url(), caller.getValue(), c.body());
        String code = r.body().isEmpty() ? "" : Https.json(r).at("/error/code").asText();
        String message = r.body().isEmpty() ? "" : Https.json(r).at("/error/message").asText();
        boolean ok =
            allowed
                ? r.statusCode() == c.ok()
                : r.statusCode() == 403
                    && code.equals("AuthorizationFailed")
                    && message.contains("perform action '" + c.action() + "'")
                    && message.contains("over scope '" + c.scope() + "'");
        if (!ok) {
          wrong.add(caller.getKey() + " " + c.action() + " → " + r.statusCode() + " " + r.body());
        }
      }
    }
    assertThat(wrong).isEmpty();
  }

  private static final String LOCAL = "{\"location\":\"local\"}";

  private static String appBody(String env, String image) {
    return "{\"location\":\"local\",\"properties\":{\"environmentId\":\""
        + env
        + "\",\"template\":{\"containers\":[{\"name\":\"api\",\"image\":\""
        + image
        + "\"}]}}}";
  }

  private static Principal ownerPrincipal() {
    return new Principal(
        boot.objectId(),
        boot.tenantId(),
        boot.clientId(),
        Principal.PrincipalType.ServicePrincipal,
        "berth-owner");
  }

  /** A new service principal with {@code roleGuid} at {@code scope}; its ARM token. */
  private static String principalWithRole(String roleGuid, String scope) throws Exception {
    return principals.withRole(roleGuid, scope).token();
  }

  private static HttpResponse<String> assignRole(
      String token, String roleGuid, String principalId, String scope) throws Exception {
    return principals.assign(token, roleGuid, principalId, scope);
  }
}
