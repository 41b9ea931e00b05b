package dev.berth.controlplane;

import static dev.berth.controlplane.support.ArmServer.SUB;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.ResourceId;
import dev.berth.controlplane.support.ArmServer;
import dev.berth.controlplane.support.ArmServer.Reply;
import dev.berth.controlplane.support.Providers;
import dev.berth.identity.BuiltInRoles;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ARM's linked access check over real HTTP, with the real authorizer and store: every field of
 * every provider that names another resource, written by a caller who may use that resource
 * (allowed) and by one who may not (403 {@code LinkedAuthorizationFailed} naming the field and the
 * linked scope, and nothing stored). The fields naming what Berth cannot honour: {@link
 * RefusedLinksTest}.
 */
class LinkedAuthorizationTest {

  private static final String RG1 = "/subscriptions/" + SUB + "/resourceGroups/rg1";
  private static final String RG2 = "/subscriptions/" + SUB + "/resourceGroups/rg2";
  private static final String APP_V = "?api-version=2025-07-01";
  private static final String ACR_V = "?api-version=2023-07-01";
  private static final String MI_V = "?api-version=2023-01-31";
  private static final String ID1 =
      RG1 + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1";
  private static final String ID2 =
      RG1 + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id2";
  private static final String ENV1 = RG1 + "/providers/Microsoft.App/managedEnvironments/env1";
  private static final String ENV2 = RG2 + "/providers/Microsoft.App/managedEnvironments/env2";
  private static final String ACR1 =
      RG1 + "/providers/Microsoft.ContainerRegistry/registries/acrone";
  private static final String ADMIN_MAP = ACR1 + "/scopeMaps/_repositories_admin";
  private static final String ASSIGN =
      "Microsoft.ManagedIdentity/userAssignedIdentities/assign/action";
  private static final String JOIN = "Microsoft.App/managedEnvironments/join/action";
  private static final String READ_MAP = "Microsoft.ContainerRegistry/registries/scopeMaps/read";

  private static ArmServer arm;

  @BeforeAll
  static void world() throws Exception {
    arm = ArmServer.withTypes(store -> Providers.all(store, Duration.ofSeconds(1)));
    for (String rg : new String[] {RG1, RG2}) {
      created(arm.put(rg + "?api-version=2021-04-01", "owner", "{\"location\":\"local\"}"));
    }
    created(arm.put(ID1 + MI_V, "owner", "{\"location\":\"local\"}"));
    created(arm.put(ID2 + MI_V, "owner", "{\"location\":\"local\"}"));
    created(arm.put(ENV1 + APP_V, "owner", "{\"location\":\"local\"}"));
    created(arm.put(ENV2 + APP_V, "owner", "{\"location\":\"local\"}"));
    created(arm.put(ACR1 + ACR_V, "owner", registry(null)));
    // Linked by the Owner, who may: a Contributor of rg2 writes it again below.
    created(arm.put(app("linked") + APP_V, "owner", appBody(ENV2, ID1)));

    ResourceId rg2 = ResourceId.parse(RG2);
    arm.principal("c2", BuiltInRoles.CONTRIBUTOR, rg2);
    var mio = arm.principal("c2-mio", BuiltInRoles.CONTRIBUTOR, rg2);
    arm.assign(mio, BuiltInRoles.MANAGED_IDENTITY_OPERATOR, ResourceId.parse(ID1));
    var join = arm.principal("c2-join", BuiltInRoles.CONTRIBUTOR, rg2);
    arm.assign(join, BuiltInRoles.CONTRIBUTOR, ResourceId.parse(ENV1));
    // Token writers: Contributor on the token alone, and with Reader on the registry.
    arm.principal("tok", BuiltInRoles.CONTRIBUTOR, ResourceId.parse(ACR1 + "/tokens/tokdenied"));
    var tokReader =
        arm.principal("tok-r", BuiltInRoles.CONTRIBUTOR, ResourceId.parse(ACR1 + "/tokens/tokok"));
    arm.assign(tokReader, BuiltInRoles.READER, ResourceId.parse(ACR1));
  }

  @AfterAll
  static void stop() throws Exception {
    arm.close();
  }

  private static void created(Reply r) {
    assertThat(r.status()).as(r.raw().body()).isIn(200, 201);
  }

  private static String app(String name) {
    return RG2 + "/providers/Microsoft.App/containerApps/" + name;
  }

  private static String appBody(String env, String identity) {
    return appBody("environmentId", env, identity, "localhost:5001/api:1");
  }

  private static String appBody(String envField, String env, String identity, String image) {
    String id =
        identity == null
            ? ""
            : ",\"identity\":{\"type\":\"UserAssigned\",\"userAssignedIdentities\":{\""
                + identity
                + "\":{}}}";
    return "{\"location\":\"local\""
        + id
        + ",\"properties\":{\""
        + envField
        + "\":\""
        + env
        + "\",\"template\":{\"containers\":[{\"name\":\"api\",\"image\":\""
        + image
        + "\"}]}}}";
  }

  private static String identityOnly(String identity) {
    return "{\"location\":\"local\",\"identity\":{\"type\":\"UserAssigned\","
        + "\"userAssignedIdentities\":{\""
        + identity
        + "\":{}}}}";
  }

  private static String registry(String identity) {
    String id =
        identity == null
            ? ""
            : ",\"identity\":{\"type\":\"UserAssigned\",\"userAssignedIdentities\":{\""
                + identity
                + "\":{}}}";
    return "{\"location\":\"local\",\"sku\":{\"name\":\"Basic\"}" + id + "}";
  }

  private static String token(String scopeMap) {
    return "{\"properties\":{\"scopeMapId\":\"" + scopeMap + "\"}}";
  }

  /**
   * One linked field written by one caller.
   *
   * @param linked the linked scope the refusal must name (null when allowed)
   */
  record Case(
      String what,
      String token,
      String method,
      String url,
      String body,
      int status,
      String code,
      String field,
      String action,
      String linked) {
    @Override
    public String toString() {
      return what;
    }

    static Case allowed(String what, String token, String method, String url, String body) {
      return new Case(what, token, method, url, body, 0, null, null, null, null);
    }

    static Case denied(
        String what,
        String token,
        String method,
        String url,
        String body,
        String field,
        String action,
        String linked) {
      return new Case(
          what, token, method, url, body, 403, "LinkedAuthorizationFailed", field, action, linked);
    }
  }

  static Stream<Case> linkedFields() {
    String uamis = "identity.userAssignedIdentities";
    String env = RG2 + "/providers/Microsoft.App/managedEnvironments/";
    String acr = RG2 + "/providers/Microsoft.ContainerRegistry/registries/";
    return Stream.of(
        Case.denied(
            "app identity of another group, Contributor of its own",
            "c2",
            "PUT",
            app("uami-denied"),
            appBody(ENV2, ID1),
            uamis,
            ASSIGN,
            ID1),
        Case.allowed(
            "app identity with Managed Identity Operator on it",
            "c2-mio",
            "PUT",
            app("uami-ok"),
            appBody(ENV2, ID1)),
        Case.denied(
            "app in another group's environment",
            "c2",
            "PUT",
            app("env-denied"),
            appBody(ENV1, null),
            "properties.environmentId",
            JOIN,
            ENV1),
        Case.denied(
            "app in another group's environment, by the 2022-03-01 field",
            "c2",
            "PUT",
            app("legacy-denied"),
            appBody("managedEnvironmentId", ENV1, null, "localhost:5001/api:1"),
            "properties.managedEnvironmentId",
            JOIN,
            ENV1),
        Case.allowed(
            "app in an environment the caller may join",
            "c2-join",
            "PUT",
            app("env-ok"),
            appBody(ENV1, null)),
        Case.denied(
            "identity added to an app by PATCH",
            "c2",
            "PATCH",
            app("linked"),
            identityOnly(ID2),
            uamis,
            ASSIGN,
            ID2),
        Case.allowed(
            "an app's existing identity kept by a new image (GET-modify-PUT)",
            "c2",
            "PUT",
            app("linked"),
            appBody("environmentId", ENV2, ID1, "localhost:5001/api:2")),
        Case.denied(
            "environment identity of another group",
            "c2",
            "PUT",
            env + "envuami",
            identityOnly(ID1),
            uamis,
            ASSIGN,
            ID1),
        Case.denied(
            "registry identity of another group",
            "c2",
            "PUT",
            acr + "regdenied1",
            registry(ID1),
            uamis,
            ASSIGN,
            ID1),
        Case.denied(
            "registry identity that is not a resource id, even for the Owner",
            "owner",
            "PUT",
            acr + "regdenied2",
            registry("not-an-id"),
            uamis,
            ASSIGN,
            "not-an-id"),
        Case.denied(
            "token on a scope map the caller may not read",
            "tok",
            "PUT",
            ACR1 + "/tokens/tokdenied",
            token(ADMIN_MAP),
            "properties.scopeMapId",
            READ_MAP,
            ADMIN_MAP),
        Case.allowed(
            "token on a scope map the caller may read",
            "tok-r",
            "PUT",
            ACR1 + "/tokens/tokok",
            token(ADMIN_MAP)),
        Case.allowed(
            "the Owner links across groups", "owner", "PUT", app("owned"), appBody(ENV1, ID2)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("linkedFields")
  void eachLinkedFieldNeedsItsActionOnTheLinkedResource(Case c) throws Exception {
    String v = c.url().contains("Microsoft.ContainerRegistry") ? ACR_V : APP_V;
    boolean existed = arm.get(c.url() + v, "owner").status() == 200;
    Reply r = arm.send(c.method(), c.url() + v, c.token(), c.body());
    if (c.status() == 0) {
      assertThat(r.status()).as(r.raw().body()).isIn(200, 201, 202);
      return;
    }
    assertThat(r.status()).as(r.raw().body()).isEqualTo(c.status());
    assertThat(r.json().at("/error/code").asText()).isEqualTo(c.code());
    assertThat(r.json().at("/error/target").asText()).isEqualTo(c.field());
    String type = ResourceId.parse(c.url()).type();
    String principal = arm.tokens.verify(c.token(), Set.of("a")).principal().objectId();
    assertThat(r.json().at("/error/message").asText())
        .isEqualTo(
            "The client '"
                + principal
                + "' with object id '"
                + principal
                + "' has permission to perform action '"
                + type
                + "/write' on scope '"
                + c.url()
                + "'; however, it does not have permission to perform action(s) '"
                + c.action()
                + "' on the linked scope(s) '"
                + c.linked()
                + "' (respectively) or the linked scope(s) are invalid.");
    assertThat(r.json().at("/error/details/0/target").asText()).isEqualTo(c.field());
    if (!existed) {
      assertThat(arm.get(c.url() + v, "owner").status()).as("nothing stored").isEqualTo(404);
    }
  }

  @Test
  void aDeniedWriteNamesOnlyTheLinksItAdds() throws Exception {
    String body =
        "{\"location\":\"local\",\"identity\":{\"type\":\"UserAssigned\",\"userAssignedIdentities\":"
            + "{\""
            + ID1
            + "\":{},\""
            + ID2
            + "\":{}}},\"properties\":{\"environmentId\":\""
            + ENV2
            + "\",\"template\":{\"containers\":[{\"name\":\"api\",\"image\":\"localhost:5001/api:3\"}]}}}";
    Reply r = arm.put(app("linked") + APP_V, "c2", body);
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.json().at("/error/code").asText()).isEqualTo("LinkedAuthorizationFailed");
    assertThat(r.json().at("/error/message").asText()).contains(ID2).doesNotContain(ID1);
  }
}
