package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The REST forms of the diagnosis over HTTPS with the production authorizer: {@code POST
 * …/registries/{r}/checkAccess} answers with the registry's decision and the rule, and only callers
 * holding its action may ask (Owner, Contributor; not Reader, not AcrPull); {@code GET
 * …/containerApps/{app}/detectors[/imagePullFailures]} answers in Container Apps' diagnostics shape
 * to readers; bad input gets ARM's envelope.
 */
class DiagnosisApiIT {

  @RegisterExtension static final RunningBerth BERTH = new RunningBerth();

  private static final String V = "?api-version=2025-07-01";
  private static RegistryFixture fx;
  private static Principals principals;
  private static String registry;
  private static String identity;
  private static String app;

  @BeforeAll
  static void setUp() throws Exception {
    fx = new RegistryFixture(BERTH);
    principals = new Principals(fx.https, BERTH.bootstrap(), fx.owner);
    registry = fx.createRegistry("diag-rg", "diagacr", "{}");
    identity =
        fx.group("diag-rg") + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/pull-id";
    var created =
        fx.https.send(
            "PUT", identity + "?api-version=2023-01-31", fx.owner, "{\"location\":\"local\"}");
    assertThat(created.statusCode()).as(created.body()).isIn(200, 201);
    String principal = Https.json(created).at("/properties/principalId").asText();
    principals.grant(RegistryFixture.ACR_PULL, principal, registry);
    String env = fx.group("diag-rg") + "/providers/Microsoft.App/managedEnvironments/env1";
    assertThat(fx.https.send("PUT", env + V, fx.owner, "{\"location\":\"local\"}").statusCode())
        .isEqualTo(201);
    app = fx.group("diag-rg") + "/providers/Microsoft.App/containerApps/web";
    var put =
        fx.https.send(
            "PUT",
            app + V,
            fx.owner,
            "{\"location\":\"local\",\"properties\":{\"environmentId\":\""
                + env
                + "\",\"template\":{\"containers\":[{\"name\":\"api\",\"image\":\"localhost:5001/api:1\"}]}}}");
    assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
  }

  private static HttpResponse<String> checkAccess(String token, String body) throws Exception {
    return fx.https.send(
        "POST", registry + "/checkAccess" + RegistryFixture.REGISTRY_API, token, body);
  }

  private static String question(String repository) {
    return "{\"identity\":\"" + identity + "\",\"repository\":\"" + repository + "\"}";
  }

  private static void assertArmError(HttpResponse<String> r, int status, String code)
      throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(Https.json(r).path("error").path("code").asText()).isEqualTo(code);
  }

  @Test
  void checkAccessNamesTheRoleAssignmentThatAllowsAndThePolicyThatDenies() throws Exception {
    var allowed = checkAccess(fx.owner, question("api"));
    assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(200);
    JsonNode a = Https.json(allowed);
    assertThat(a.path("allowed").asBoolean()).isTrue();
    assertThat(a.path("decidedBy").asText()).isEqualTo("ROLE_ASSIGNMENT");
    assertThat(a.path("rule").asText()).contains("AcrPull at scope " + registry);

    var push =
        checkAccess(
            fx.owner,
            "{\"identity\":\"" + identity + "\",\"repository\":\"api\",\"action\":\"push\"}");
    JsonNode p = Https.json(push);
    assertThat(p.path("allowed").asBoolean()).isFalse();
    assertThat(p.path("decidedBy").asText()).isEqualTo("NO_ROLE_ASSIGNMENT");
    assertThat(p.path("status").asInt()).isEqualTo(401);
    assertThat(p.path("code").asText()).isEqualTo("UNAUTHORIZED");
  }

  @Test
  void onlyCallersHoldingTheCheckAccessActionMayAsk() throws Exception {
    String reader = principals.withRole(Principals.READER, fx.group("diag-rg")).token();
    String acrPull = principals.withRole(RegistryFixture.ACR_PULL, registry).token();
    String contributor = principals.withRole(Principals.CONTRIBUTOR, registry).token();

    assertArmError(checkAccess(reader, question("api")), 403, "AuthorizationFailed");
    assertArmError(checkAccess(acrPull, question("api")), 403, "AuthorizationFailed");
    assertThat(checkAccess(contributor, question("api")).statusCode()).isEqualTo(200);
    assertArmError(
        fx.https.send("POST", registry + "/checkAccess" + RegistryFixture.REGISTRY_API, null, "{}"),
        401,
        "AuthenticationFailed");
  }

  @Test
  void badQuestionsGetArmsEnvelope() throws Exception {
    assertArmError(checkAccess(fx.owner, "{\"repository\":\"api\"}"), 400, "InvalidParameter");
    assertArmError(
        checkAccess(
            fx.owner,
            "{\"identity\":\"" + identity + "\",\"repository\":\"api\",\"action\":\"delete\"}"),
        400,
        "InvalidParameter");
    assertArmError(checkAccess(fx.owner, "not json"), 400, "InvalidRequestContent");
    assertArmError(
        checkAccess(
            fx.owner,
            "{\"identity\":\""
                + fx.group("diag-rg")
                + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/gone\",\"repository\":\"api\"}"),
        404,
        "ResourceNotFound");
    assertArmError(
        fx.https.send(
            "POST",
            fx.group("diag-rg")
                + "/providers/Microsoft.ContainerRegistry/registries/nope/checkAccess"
                + RegistryFixture.REGISTRY_API,
            fx.owner,
            question("api")),
        404,
        "ResourceNotFound");
  }

  @Test
  void detectorsAnswerReadersInContainerAppsDiagnosticsShape() throws Exception {
    String reader = principals.withRole(Principals.READER, fx.group("diag-rg")).token();
    // Reader of the registry only: nothing of the app.
    String nobody = principals.withRole(Principals.READER, registry).token();

    var list = fx.https.send("GET", app + "/detectors" + V, reader, null);
    assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
    assertThat(Https.json(list).path("value").get(0).path("name").asText())
        .isEqualTo("imagePullFailures");
    var one = fx.https.send("GET", app + "/detectors/imagePullFailures" + V, reader, null);
    assertThat(one.statusCode()).as(one.body()).isEqualTo(200);
    JsonNode d = Https.json(one);
    assertThat(d.path("type").asText()).isEqualTo("Microsoft.App/containerApps/detectors");
    assertThat(d.at("/properties/metadata/id").asText()).isEqualTo("imagePullFailures");
    assertThat(d.at("/properties/status/message").asText()).contains("no reconciler runs here");

    assertArmError(
        fx.https.send("GET", app + "/detectors/imagePullFailures" + V, nobody, null),
        403,
        "AuthorizationFailed");
    assertArmError(
        fx.https.send("GET", app + "/detectors/cpuUsage" + V, reader, null),
        404,
        "ResourceNotFound");
    assertArmError(
        fx.https.send(
            "GET",
            app + "/detectors/imagePullFailures" + V + "&revisionName=web--nope",
            reader,
            null),
        404,
        "ResourceNotFound");
  }
}
