package dev.berth.controlplane;

import static dev.berth.controlplane.support.ArmServer.SUB;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.ResourceId;
import dev.berth.controlplane.providers.app.LogStreams;
import dev.berth.controlplane.support.ArmServer;
import dev.berth.controlplane.support.ArmServer.Reply;
import dev.berth.controlplane.support.Providers;
import dev.berth.identity.BuiltInRoles;
import dev.berth.store.Query;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Azure RBAC on {@code Microsoft.App} over real HTTP, with roles at resource-group and resource
 * scope (never only at the subscription, so a route that checks the wrong scope fails here): Reader
 * and Contributor against read, write, delete, {@code listSecrets}, the log stream and a revision
 * action, and a Contributor of another group against all of them. A write or delete the caller may
 * make is sent with an {@code If-Match} that cannot hold, so it is answered 412 by the handler once
 * RBAC let it through, and changes nothing.
 */
class AppRbacTest {

  private static final String RG1 = "/subscriptions/" + SUB + "/resourceGroups/rg1";
  private static final String APP = RG1 + "/providers/Microsoft.App/containerApps/app1";
  private static final String ENV = RG1 + "/providers/Microsoft.App/managedEnvironments/env1";
  private static final String V = "?api-version=2025-07-01";

  private static ArmServer arm;
  private static String revision;

  @BeforeAll
  static void world() throws Exception {
    LogStreams logs =
        r -> Optional.of(out -> out.write("hello\n".getBytes(StandardCharsets.UTF_8)));
    arm = ArmServer.withTypes(store -> Providers.all(store, Duration.ofSeconds(1), logs));
    for (String rg : new String[] {"rg1", "rg2"}) {
      ok(
          arm.put(
              "/subscriptions/" + SUB + "/resourceGroups/" + rg + "?api-version=2021-04-01",
              "owner",
              "{\"location\":\"local\"}"));
    }
    ok(arm.put(ENV + V, "owner", "{\"location\":\"local\"}"));
    ok(arm.put(APP + V, "owner", body("localhost:5001/api:1")));
    revision =
        arm.store.stream(
                Query.children(ResourceId.parse(APP), "Microsoft.App/containerApps/revisions"))
            .findFirst()
            .orElseThrow()
            .id()
            .name();
    ResourceId rg1 = ResourceId.parse(RG1);
    arm.principal("reader-rg1", BuiltInRoles.READER, rg1);
    arm.principal("contributor-rg1", BuiltInRoles.CONTRIBUTOR, rg1);
    arm.principal(
        "contributor-rg2",
        BuiltInRoles.CONTRIBUTOR,
        ResourceId.parse("/subscriptions/" + SUB + "/resourceGroups/rg2"));
    arm.principal("reader-app1", BuiltInRoles.READER, ResourceId.parse(APP));
    arm.principal("contributor-app1", BuiltInRoles.CONTRIBUTOR, ResourceId.parse(APP));
  }

  @AfterAll
  static void stop() throws Exception {
    arm.close();
  }

  private static void ok(Reply r) {
    assertThat(r.status()).as(r.raw().body()).isIn(200, 201);
  }

  private static String body(String image) {
    return "{\"location\":\"local\",\"properties\":{\"environmentId\":\""
        + ENV
        + "\",\"template\":{\"containers\":[{\"name\":\"api\",\"image\":\""
        + image
        + "\"}]}}}";
  }

  /** One Microsoft.App call: what it does, and the action and scope RBAC must check. */
  enum Call {
    READ("Microsoft.App/containerApps/read", 200),
    WRITE("Microsoft.App/containerApps/write", 412),
    DELETE("Microsoft.App/containerApps/delete", 412),
    LIST_SECRETS("Microsoft.App/containerApps/listSecrets/action", 200),
    LOG_STREAM("Microsoft.App/containerApps/getAuthToken/action", 200),
    EVENT_STREAM("Microsoft.App/containerApps/getAuthToken/action", 200),
    RESTART_REVISION("Microsoft.App/containerApps/revisions/restart/action", 200);

    final String action;
    final int allowedStatus;

    Call(String action, int allowedStatus) {
      this.action = action;
      this.allowedStatus = allowedStatus;
    }

    String scope() {
      return this == RESTART_REVISION ? APP + "/revisions/" + revision : APP;
    }

    Reply send(String token) throws Exception {
      return switch (this) {
        case READ -> arm.get(APP + V, token);
        case WRITE -> arm.put(APP + V, token, body("localhost:5001/api:2"), "If-Match", "\"x\"");
        case DELETE -> arm.send("DELETE", APP + V, token, null, "If-Match", "\"x\"");
        case LIST_SECRETS -> arm.send("POST", APP + "/listSecrets" + V, token, "{}");
        case LOG_STREAM ->
            arm.send(
                "GET",
                APP + "/revisions/" + revision + "/replicas/r1/containers/api/logstream" + V,
                token,
                null);
        case EVENT_STREAM -> arm.send("GET", APP + "/eventstream" + V, token, null);
        case RESTART_REVISION ->
            arm.send("POST", APP + "/revisions/" + revision + "/restart" + V, token, "{}");
      };
    }
  }

  record Case(String principal, Call call, boolean allowed) {
    @Override
    public String toString() {
      return principal + " " + call + (allowed ? " allowed" : " denied");
    }
  }

  static Stream<Case> matrix() {
    List<Case> cases = new ArrayList<>();
    for (Call call : Call.values()) {
      boolean isRead = call == Call.READ;
      cases.add(new Case("reader-rg1", call, isRead));
      cases.add(new Case("reader-app1", call, isRead));
      cases.add(new Case("contributor-rg1", call, true));
      cases.add(new Case("contributor-app1", call, true));
      cases.add(new Case("contributor-rg2", call, false));
      cases.add(new Case("nobody", call, false));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("matrix")
  void rolesAtGroupAndResourceScopeDecideEachMicrosoftAppAction(Case c) throws Exception {
    Reply r = c.call().send(c.principal());
    if (c.allowed()) {
      assertThat(r.status()).as(r.raw().body()).isEqualTo(c.call().allowedStatus);
      return;
    }
    assertThat(r.status()).as(r.raw().body()).isEqualTo(403);
    assertThat(r.json().at("/error/code").asText()).isEqualTo("AuthorizationFailed");
    assertThat(r.json().at("/error/message").asText())
        .contains("does not have authorization to perform action '" + c.call().action + "'")
        .contains("over scope '" + c.call().scope() + "'");
  }
}
