package dev.berth.controlplane;

import static dev.berth.controlplane.support.ArmServer.SUB;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Principal;
import dev.berth.api.ResourceId;
import dev.berth.controlplane.support.ArmServer;
import dev.berth.controlplane.support.ArmServer.Reply;
import dev.berth.controlplane.support.Fakes;
import dev.berth.http.Json;
import dev.berth.identity.BuiltInRoles;
import dev.berth.store.Precondition;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /metrics} on the management API, through the real chain: real JWTs verified by the
 * real verifier, the real {@code RbacAuthorizer} over role assignments in the store. Readers of
 * every subscription (Reader, Monitoring Reader, Contributor, Owner) get Prometheus' text; no token
 * is 401 with a Bearer challenge; any other caller is 403 {@code AuthorizationFailed}; all in ARM's
 * envelope.
 */
class MetricsRouteTest {

  private static final ResourceId SUBSCRIPTION = ResourceId.subscription(SUB);
  private static final ResourceId GROUP = ResourceId.resourceGroup(SUB, "rg1");

  private static ArmServer arm;

  @BeforeAll
  static void start() throws Exception {
    arm = new ArmServer(List.of());
  }

  @AfterAll
  static void stop() throws Exception {
    arm.close();
  }

  private static String tokenWith(String role, ResourceId scope) {
    return arm.jwt(arm.principal("p-" + java.util.UUID.randomUUID(), role, scope));
  }

  private static void assertRefused(Reply r, int status, String code) {
    assertThat(r.status()).as(r.raw().body()).isEqualTo(status);
    assertThat(r.json().at("/error/code").asText()).isEqualTo(code);
    assertThat(r.json().at("/error/message").asText()).isNotBlank();
    assertThat(r.header("x-ms-request-id")).isNotNull();
  }

  private static void assertServed(Reply r) {
    assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
    assertThat(r.header("Content-Type")).isEqualTo(MetricsSource.CONTENT_TYPE);
    assertThat(r.raw().body()).isEqualTo(ArmServer.METRICS);
  }

  @Test
  void withoutATokenIs401WithABearerChallenge() throws Exception {
    Reply r = arm.get("/metrics", null);

    assertRefused(r, 401, "AuthenticationFailed");
    assertThat(r.header("WWW-Authenticate")).startsWith("Bearer ");
  }

  @Test
  void aTokenOfNoOneIs401() throws Exception {
    Principal ghost =
        new Principal(
            "99999999-9999-9999-9999-999999999999",
            Fakes.TENANT,
            "a9999999-9999-9999-9999-999999999999",
            Principal.PrincipalType.ServicePrincipal,
            "ghost");

    assertRefused(arm.get("/metrics", arm.jwt(ghost)), 401, "InvalidAuthenticationToken");
  }

  @Test
  void aCallerWithoutAReadingRoleOnTheSubscriptionIs403() throws Exception {
    assertRefused(arm.get("/metrics", arm.jwt(Fakes.NOBODY)), 403, "AuthorizationFailed");
    assertRefused(
        arm.get("/metrics", tokenWith(BuiltInRoles.ACR_PULL, SUBSCRIPTION)),
        403,
        "AuthorizationFailed");
    assertRefused(
        arm.get("/metrics", tokenWith(BuiltInRoles.MANAGED_IDENTITY_OPERATOR, SUBSCRIPTION)),
        403,
        "AuthorizationFailed");
    // A role on one group does not cover the metrics of the others.
    Reply groupReader = arm.get("/metrics", tokenWith(BuiltInRoles.READER, GROUP));
    assertRefused(groupReader, 403, "AuthorizationFailed");
    assertThat(groupReader.json().at("/error/message").asText())
        .contains("Microsoft.Insights/metrics/read")
        .contains("/subscriptions/" + SUB);
    assertRefused(
        arm.get("/metrics", tokenWith(BuiltInRoles.CONTRIBUTOR, GROUP)),
        403,
        "AuthorizationFailed");
  }

  @Test
  void readersOfTheSubscriptionOrAboveGetThePrometheusText() throws Exception {
    assertServed(arm.get("/metrics", tokenWith(BuiltInRoles.MONITORING_READER, SUBSCRIPTION)));
    assertServed(arm.get("/metrics", tokenWith(BuiltInRoles.READER, SUBSCRIPTION)));
    assertServed(arm.get("/metrics", tokenWith(BuiltInRoles.CONTRIBUTOR, SUBSCRIPTION)));
    assertServed(arm.get("/metrics", tokenWith(BuiltInRoles.OWNER, SUBSCRIPTION)));
    // Owner at the tenant root, and an api-version, which the route ignores.
    assertServed(arm.get("/metrics?api-version=2021-04-01", arm.jwt(Fakes.OWNER)));
  }

  @Test
  void otherMethodsAre405() throws Exception {
    assertRefused(
        arm.send("POST", "/metrics", arm.jwt(Fakes.OWNER), "{}"), 405, "MethodNotAllowed");
  }

  @Test
  void withTwoSubscriptionsOnlyARoleAtTheRootCoversThem() throws Exception {
    try (ArmServer two = new ArmServer(List.of())) {
      ObjectNode sub = Json.object().put("subscriptionId", "00000000-0000-0000-0000-00000000bbbb");
      two.store.put(
          ResourceId.subscription("00000000-0000-0000-0000-00000000bbbb"), sub, Precondition.NONE);
      String oneSubscription =
          two.jwt(two.principal("reader-of-one", BuiltInRoles.READER, SUBSCRIPTION));
      String root = two.jwt(two.principal("reader-of-all", BuiltInRoles.READER, ResourceId.root()));

      assertRefused(two.get("/metrics", oneSubscription), 403, "AuthorizationFailed");
      assertThat(two.get("/metrics", root).status()).isEqualTo(200);
    }
  }
}
