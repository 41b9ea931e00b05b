package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.Principal;
import dev.berth.identity.IdentityConfig;
import dev.berth.identity.SigningKeys;
import dev.berth.identity.TokenIssuer;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
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

  private static final String READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
  private static final String CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c";

  private static Https https;
  private static BootstrapInfo boot;
  private static String owner;

  @BeforeAll
  static void logIn() throws Exception {
    boot = BERTH.bootstrap();
    https = new Https(BERTH.caFile(), boot.managementEndpoint());
    owner =
        https.token(
            boot.tenantId(), boot.clientId(), boot.clientSecret(), boot.managementEndpoint());
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
    String reader =
        principalWithRole(
            "reader-" + UUID.randomUUID(), READER, "/subscriptions/" + boot.subscriptionId());

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
    String contributor =
        principalWithRole(
            "contrib-" + UUID.randomUUID(), CONTRIBUTOR, "/subscriptions/" + boot.subscriptionId());
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

  private static Principal ownerPrincipal() {
    return new Principal(
        boot.objectId(),
        boot.tenantId(),
        boot.clientId(),
        Principal.PrincipalType.ServicePrincipal,
        "berth-owner");
  }

  /** Creates a service principal, assigns it a role at a scope (as the Owner) and logs it in. */
  private static String principalWithRole(String name, String roleGuid, String scope)
      throws Exception {
    var created =
        https.send(
            "POST",
            "/providers/Berth.Identity/servicePrincipals?api-version=2025-01-01",
            owner,
            "{\"displayName\":\"" + name + "\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode props = Https.json(created).path("properties");
    var assign = assignRole(owner, roleGuid, props.path("principalId").asText(), scope);
    assertThat(assign.statusCode()).as(assign.body()).isEqualTo(201);
    return https.token(
        boot.tenantId(),
        props.path("appId").asText(),
        props.path("clientSecret").asText(),
        boot.managementEndpoint());
  }

  private static HttpResponse<String> assignRole(
      String token, String roleGuid, String principalId, String scope) throws Exception {
    String body =
        """
        {"properties":{"roleDefinitionId":"/subscriptions/%s/providers/Microsoft.Authorization/roleDefinitions/%s",
                       "principalId":"%s","principalType":"ServicePrincipal"}}"""
            .formatted(boot.subscriptionId(), roleGuid, principalId);
    return https.send(
        "PUT",
        scope
            + "/providers/Microsoft.Authorization/roleAssignments/"
            + UUID.randomUUID()
            + "?api-version=2022-04-01",
        token,
        body);
  }
}
