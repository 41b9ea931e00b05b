package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cli.CliHarness.Result;
import dev.berth.client.FakeBerth;
import dev.berth.client.FakeBerth.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AcrCommandTest extends SignedInTest {

  FakeAcr acr;

  @BeforeEach
  void start() {
    acr = new FakeAcr(cli);
  }

  private FakeBerth.Request only(String method, String path) {
    assertThat(cli.berth.requests(method, path)).hasSize(1);
    return cli.berth.requests(method, path).get(0);
  }

  @Test
  void createChecksTheNameThenPutsSkuAndPropertiesAndWaitsForTheOperation() throws Exception {
    String check =
        cli.subscriptionPath() + "/providers/Microsoft.ContainerRegistry/checkNameAvailability";
    cli.berth.on("POST", check, r -> Response.json(200, "{\"nameAvailable\":true}"));
    String op = cli.berth.endpoint() + "asyncoperations/acr-1";
    cli.berth.on(
        "PUT",
        acr.id,
        r ->
            Response.json(201, "{\"properties\":{\"provisioningState\":\"Creating\"}}")
                .with("Azure-AsyncOperation", op)
                .with("Retry-After", "0"));
    cli.berth.on(
        "GET", "/asyncoperations/acr-1", r -> Response.json(200, "{\"status\":\"Succeeded\"}"));
    acr.onArm();

    Result result =
        cli.run(
            "acr",
            "create",
            "-n",
            "myacr",
            "-g",
            "rg1",
            "--sku",
            "Premium",
            "--admin-enabled",
            "true",
            "--role-assignment-mode",
            "rbac-abac");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(json(only("POST", check).body()))
        .isEqualTo(
            json("{\"name\":\"myacr\",\"type\":\"Microsoft.ContainerRegistry/registries\"}"));
    FakeBerth.Request put = only("PUT", acr.id);
    assertThat(put.query()).isEqualTo("api-version=2023-07-01");
    assertThat(json(put.body()))
        .isEqualTo(
            json(
                """
                {"location":"local","sku":{"name":"Premium"},
                 "properties":{"adminUserEnabled":true,"anonymousPullEnabled":false,
                               "roleAssignmentMode":"AbacRepositoryPermissions"}}"""));
    assertThat(result.json().path("properties").path("loginServer").asText())
        .isEqualTo(acr.loginServer);
  }

  @Test
  void createRefusesATakenNameWithTheServersMessage() {
    cli.berth.on(
        "POST",
        cli.subscriptionPath() + "/providers/Microsoft.ContainerRegistry/checkNameAvailability",
        r ->
            Response.json(
                200,
                "{\"nameAvailable\":false,\"reason\":\"AlreadyExists\",\"message\":\"The registry"
                    + " myacr is already in use.\"}"));

    Result result = cli.run("acr", "create", "-n", "myacr", "-g", "rg1");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).isEqualTo("ERROR: The registry myacr is already in use.\n");
    assertThat(cli.berth.requests("PUT", acr.id)).isEmpty();
  }

  @Test
  void showFindsTheGroupThroughTheResourcesListMatchingTheNameCaseInsensitively() {
    acr.onArm();

    Result result = cli.run("acr", "show", "-n", "myacr");

    assertThat(result.exit()).as(result.err()).isZero();
    FakeBerth.Request lookup = only("GET", cli.subscriptionPath() + "/resources");
    assertThat(lookup.query())
        .isEqualTo(
            "$filter=resourceType eq 'Microsoft.ContainerRegistry/registries'"
                + "&api-version=2021-04-01");
    assertThat(only("GET", acr.id).query()).isEqualTo("api-version=2023-07-01");
    assertThat(result.json().path("name").asText()).isEqualTo("myacr");
  }

  @Test
  void showOfAnUnknownRegistrySaysSoLikeAz() {
    acr.onArm();
    Result result = cli.run("acr", "show", "-n", "nope");
    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err())
        .startsWith(
            "ERROR: The resource with name 'nope' and type"
                + " 'Microsoft.ContainerRegistry/registries' could not be found");
  }

  @Test
  void showWithAGroupSkipsTheLookup() {
    acr.onArm();
    assertThat(cli.run("acr", "show", "-n", "myacr", "-g", "rg1").exit()).isZero();
    assertThat(cli.berth.requests("GET", cli.subscriptionPath() + "/resources")).isEmpty();
  }

  @Test
  void listPrintsATableOfTheGroupsRegistries() {
    cli.berth.on(
        "GET",
        cli.subscriptionPath()
            + "/resourceGroups/rg1/providers/Microsoft.ContainerRegistry/registries",
        r -> Response.json(200, "{\"value\":[" + acr.json() + "]}"));

    Result result = cli.run("acr", "list", "-g", "rg1", "-o", "table");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out())
        .startsWith("Name   Location  Sku      LoginServer")
        .contains("myacr  local     Premium  " + acr.loginServer + "  false");
  }

  @Test
  void updatePatchesOnlyTheGivenPropertiesAndKeepsTheIpRules() throws Exception {
    cli.berth.on(
        "GET",
        acr.id,
        r ->
            Response.json(
                200,
                "{\"properties\":{\"networkRuleSet\":{\"defaultAction\":\"Allow\",\"ipRules\":"
                    + "[{\"action\":\"Allow\",\"value\":\"10.0.0.0/8\"}]}}}"));
    cli.berth.on("PATCH", acr.id, r -> Response.json(200, acr.json()));

    Result result =
        cli.run(
            "acr",
            "update",
            "-n",
            "myacr",
            "-g",
            "rg1",
            "--anonymous-pull-enabled",
            "true",
            "--public-network-enabled",
            "false",
            "--default-action",
            "deny");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(json(only("PATCH", acr.id).body()))
        .isEqualTo(
            json(
                """
                {"properties":{"anonymousPullEnabled":true,"publicNetworkAccess":"Disabled",
                 "networkRuleSet":{"defaultAction":"Deny",
                                   "ipRules":[{"action":"Allow","value":"10.0.0.0/8"}]}}}"""));
  }

  @Test
  void updateWithNothingToChangeFailsBeforeCallingBerth() {
    Result result = cli.run("acr", "update", "-n", "myacr");
    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).startsWith("ERROR: Nothing to update");
    assertThat(cli.berth.requests()).noneMatch(r -> r.path().contains("registries"));
  }

  @Test
  void deleteWithYesDeletesTheRegistry() {
    acr.onArm();
    cli.berth.on("DELETE", acr.id, r -> Response.json(200, ""));
    assertThat(cli.run("acr", "delete", "-n", "myacr", "--yes").exit()).isZero();
    assertThat(only("DELETE", acr.id).query()).isEqualTo("api-version=2023-07-01");
  }

  @Test
  void credentialShowPostsListCredentials() {
    acr.onArm();
    cli.berth.on(
        "POST",
        acr.id + "/listCredentials",
        r ->
            Response.json(
                200,
                "{\"username\":\"myacr\",\"passwords\":[{\"name\":\"password\",\"value\":\"p1\"},"
                    + "{\"name\":\"password2\",\"value\":\"p2\"}]}"));

    Result result = cli.run("acr", "credential", "show", "-n", "myacr", "-o", "table");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out()).contains("myacr     p1        p2");
  }

  @Test
  void credentialRenewNamesThePassword() throws Exception {
    acr.onArm();
    cli.berth.on(
        "POST",
        acr.id + "/regenerateCredential",
        r -> Response.json(200, "{\"username\":\"myacr\"}"));

    Result result =
        cli.run("acr", "credential", "renew", "-n", "myacr", "--password-name", "password2");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(json(only("POST", acr.id + "/regenerateCredential").body()))
        .isEqualTo(json("{\"name\":\"password2\"}"));
  }

  @Test
  void authenticationAsArmShowReadsThePolicyAndDefaultsToEnabled() throws Exception {
    acr.onArm();
    Result absent = cli.run("acr", "config", "authentication-as-arm", "show", "-r", "myacr");
    assertThat(absent.exit()).as(absent.err()).isZero();
    assertThat(absent.json()).isEqualTo(json("{\"status\":\"enabled\"}"));

    acr.policies = "{\"azureADAuthenticationAsArmPolicy\":{\"status\":\"disabled\"}}";
    Result disabled = cli.run("acr", "config", "authentication-as-arm", "show", "-r", "myacr");
    assertThat(disabled.out()).isEqualTo("{\n  \"status\": \"disabled\"\n}\n");
  }

  @Test
  void authenticationAsArmUpdatePatchesOnlyThatPolicy() throws Exception {
    acr.onArm();
    cli.berth.on(
        "PATCH",
        acr.id,
        r ->
            Response.json(
                200,
                "{\"properties\":{\"policies\":{\"azureADAuthenticationAsArmPolicy\":"
                    + "{\"status\":\"disabled\"}}}}"));

    Result result =
        cli.run(
            "acr",
            "config",
            "authentication-as-arm",
            "update",
            "-r",
            "myacr",
            "--status",
            "disabled");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(json(only("PATCH", acr.id).body()))
        .isEqualTo(
            json(
                "{\"properties\":{\"policies\":{\"azureADAuthenticationAsArmPolicy\":"
                    + "{\"status\":\"disabled\"}}}}"));
    assertThat(result.json()).isEqualTo(json("{\"status\":\"disabled\"}"));
  }

  @Test
  void networkRuleAddAppendsAnAllowRuleToTheCurrentSet() throws Exception {
    acr.onArm();
    cli.berth.on("PATCH", acr.id, r -> Response.json(200, acr.json()));

    Result result = cli.run("acr", "network-rule", "add", "-n", "myacr", "--ip-address", "1.2.3.4");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(json(only("PATCH", acr.id).body()))
        .isEqualTo(
            json(
                """
                {"properties":{"networkRuleSet":{"defaultAction":"Allow",
                 "ipRules":[{"action":"Allow","value":"1.2.3.4"}]}}}"""));
  }

  @Test
  void networkRuleRemoveDropsTheMatchingRuleOnly() throws Exception {
    String rules =
        "{\"properties\":{\"networkRuleSet\":{\"defaultAction\":\"Deny\",\"ipRules\":"
            + "[{\"action\":\"Allow\",\"value\":\"1.2.3.4\"},"
            + "{\"action\":\"Allow\",\"value\":\"10.0.0.0/8\"}]}}}";
    cli.berth.on("GET", acr.id, r -> Response.json(200, rules));
    cli.berth.on("PATCH", acr.id, r -> Response.json(200, rules));

    Result result =
        cli.run(
            "acr", "network-rule", "remove", "-n", "myacr", "-g", "rg1", "--ip-address", "1.2.3.4");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(json(only("PATCH", acr.id).body()))
        .isEqualTo(
            json(
                """
                {"properties":{"networkRuleSet":{"defaultAction":"Deny",
                 "ipRules":[{"action":"Allow","value":"10.0.0.0/8"}]}}}"""));

    Result list = cli.run("acr", "network-rule", "list", "-n", "myacr", "-g", "rg1");
    assertThat(list.json().path("ipRules")).hasSize(2);
  }

  @Test
  void armErrorsKeepTheirCodeAndMessage() {
    cli.berth.on(
        "GET",
        acr.id,
        r ->
            Response.json(
                404,
                "{\"error\":{\"code\":\"ResourceNotFound\",\"message\":\"The Resource"
                    + " 'Microsoft.ContainerRegistry/registries/myacr' was not found.\"}}"));
    Result result = cli.run("acr", "show", "-n", "myacr", "-g", "rg1");
    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err())
        .isEqualTo(
            "ERROR: (ResourceNotFound) The Resource"
                + " 'Microsoft.ContainerRegistry/registries/myacr' was not found.\n");
  }
}
