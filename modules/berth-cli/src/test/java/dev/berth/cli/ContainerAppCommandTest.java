package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.CliHarness.Result;
import dev.berth.client.FakeBerth.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ContainerAppCommandTest extends SignedInTest {

  FakeContainerApp aca;

  @BeforeEach
  void start() {
    aca = new FakeContainerApp(cli).serve();
  }

  @Test
  void createPutsAzsDocumentAndWaitsForTheOperation() throws Exception {
    String uami =
        cli.subscriptionPath()
            + "/resourceGroups/rg1/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1";

    Result result =
        cli.run(
            "containerapp",
            "create",
            "-n",
            "api",
            "-g",
            "rg1",
            "--environment",
            "env1",
            "--image",
            "localhost:5001/api:1",
            "--registry-server",
            "localhost:5001",
            "--registry-username",
            "Admin",
            "--registry-password",
            "pw",
            "--secrets",
            "db=s3",
            "--env-vars",
            "MODE=prod",
            "DB=secretref:db",
            "--cpu",
            "0.5",
            "--memory",
            "1.0Gi",
            "--min-replicas",
            "1",
            "--max-replicas",
            "3",
            "--ingress",
            "external",
            "--target-port",
            "8080",
            "--revision-suffix",
            "v1",
            "--command",
            "/bin/sh",
            "-c",
            "--args",
            "echo hi",
            "--user-assigned",
            uami);

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(cli.berth.requests("GET", aca.envId).get(0).query())
        .isEqualTo("api-version=2025-07-01");
    assertThat(cli.berth.requests("PUT", aca.id).get(0).query())
        .isEqualTo("api-version=2025-07-01");
    assertThat(aca.body("PUT", aca.id))
        .isEqualTo(
            json(
                """
                {"location":"local",
                 "properties":{"environmentId":"%s",
                   "configuration":{"activeRevisionsMode":"Single",
                     "secrets":[{"name":"db","value":"s3"},{"name":"localhost5001-admin","value":"pw"}],
                     "registries":[{"server":"localhost:5001","username":"Admin",
                                    "passwordSecretRef":"localhost5001-admin"}],
                     "ingress":{"external":true,"targetPort":8080,"transport":"auto",
                                "traffic":[{"latestRevision":true,"weight":100}]}},
                   "template":{"containers":[{"name":"api","image":"localhost:5001/api:1",
                       "env":[{"name":"MODE","value":"prod"},{"name":"DB","secretRef":"db"}],
                       "resources":{"cpu":0.5,"memory":"1.0Gi"},
                       "command":["/bin/sh","-c"],"args":["echo hi"]}],
                     "scale":{"minReplicas":1,"maxReplicas":3},"revisionSuffix":"v1"}},
                 "identity":{"type":"UserAssigned","userAssignedIdentities":{"%s":{}}}}"""
                    .formatted(aca.envId, uami)));
    assertThat(cli.berth.requests("GET", aca.operation)).hasSize(2);
    assertThat(result.err())
        .contains("Waiting for container app 'api' to finish: InProgress")
        .doesNotContain("ERROR");
    assertThat(result.json().path("resourceGroup").asText()).isEqualTo("rg1");
    assertThat(result.json().path("id").asText()).isEqualTo(aca.id);
  }

  @Test
  void aSecretVolumeMountIsOneSecretVolumeWithEverySecretMountedWhole() throws Exception {
    Result result =
        cli.run(
            "containerapp",
            "create",
            "-n",
            "api",
            "-g",
            "rg1",
            "--environment",
            "env1",
            "--image",
            "localhost:5001/api:1",
            "--secrets",
            "db=s3",
            "--secret-volume-mount",
            "/mnt/secrets");

    assertThat(result.exit()).as(result.err()).isZero();
    JsonNode template = aca.body("PUT", aca.id).at("/properties/template");
    String volume = template.at("/volumes/0/name").asText();
    assertThat(volume).matches("secret-volume-[a-z0-9]{4}");
    assertThat(template.path("volumes"))
        .isEqualTo(json("[{\"name\":\"" + volume + "\",\"storageType\":\"Secret\"}]"));
    assertThat(template.at("/containers/0/volumeMounts"))
        .isEqualTo(json("[{\"volumeName\":\"" + volume + "\",\"mountPath\":\"/mnt/secrets\"}]"));
  }

  @Test
  void aFailedOperationPrintsTheServersCodeAndMessageAndExitsOne() {
    String message =
        "Failed to provision revision for container app 'api'. Error details: The following"
            + " field(s) are either invalid or missing. Field 'template.containers.api.image' is"
            + " invalid with details: 'Invalid value: \\\"localhost:5001/api:1\\\": GET https::"
            + " UNAUTHORIZED: authentication required';..";
    aca.operationStatuses(
        Response.json(200, "{\"status\":\"InProgress\"}"),
        Response.json(
            200,
            "{\"status\":\"Failed\",\"error\":{\"code\":\"ContainerAppOperationError\",\"message\":\""
                + message
                + "\"}}"));

    Result result =
        cli.run(
            "containerapp",
            "create",
            "-n",
            "api",
            "-g",
            "rg1",
            "--environment",
            "env1",
            "--image",
            "localhost:5001/api:1",
            "--registry-server",
            "localhost:5001",
            "--registry-identity",
            "system");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.out()).isEmpty();
    assertThat(result.err())
        .contains(
            "ERROR: (ContainerAppOperationError) Failed to provision revision for container app"
                + " 'api'. Error details:")
        .contains("UNAUTHORIZED: authentication required");
  }

  @Test
  void aSystemRegistryIdentityAssignsTheSystemIdentityAndAnEnvironmentIdIsUsedAsIs()
      throws Exception {
    Result result =
        cli.run(
            "containerapp",
            "create",
            "-n",
            "api",
            "-g",
            "rg1",
            "--environment",
            aca.envId,
            "--image",
            "localhost:5001/api:1",
            "--registry-server",
            "localhost:5001",
            "--registry-identity",
            "system",
            "--revisions-mode",
            "multiple");

    assertThat(result.exit()).as(result.err()).isZero();
    var body = aca.body("PUT", aca.id);
    assertThat(body.path("identity")).isEqualTo(json("{\"type\":\"SystemAssigned\"}"));
    assertThat(body.at("/properties/configuration/registries"))
        .isEqualTo(json("[{\"server\":\"localhost:5001\",\"identity\":\"system\"}]"));
    assertThat(body.at("/properties/configuration/activeRevisionsMode").asText())
        .isEqualTo("Multiple");
    assertThat(body.at("/properties/configuration").has("secrets")).isFalse();
  }

  @Test
  void noWaitReturnsTheFirstAnswerWithoutPolling() {
    Result result =
        cli.run(
            "containerapp",
            "create",
            "-n",
            "api",
            "-g",
            "rg1",
            "--environment",
            "env1",
            "--image",
            "busybox",
            "--no-wait");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(cli.berth.requests("GET", aca.operation)).isEmpty();
  }

  @Test
  void createRefusesRegistryCredentialsWithoutAServer() {
    Result result =
        cli.run(
            "containerapp",
            "create",
            "-n",
            "api",
            "-g",
            "rg1",
            "--environment",
            "env1",
            "--image",
            "busybox",
            "--registry-identity",
            "system");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).contains("need --registry-server");
    assertThat(cli.berth.requests("PUT", aca.id)).isEmpty();
  }

  @Test
  void updatePatchesTheTemplateWithTheWholeContainersArrayAndWaits() throws Exception {
    Result result =
        cli.run(
            "containerapp",
            "update",
            "-n",
            "api",
            "-g",
            "rg1",
            "--image",
            "localhost:5001/api:2",
            "--set-env-vars",
            "MODE=prod",
            "EXTRA=1",
            "--max-replicas",
            "5");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(cli.berth.requests("PATCH", aca.id).get(0).query())
        .isEqualTo("api-version=2025-07-01");
    assertThat(aca.body("PATCH", aca.id))
        .isEqualTo(
            json(
                """
                {"properties":{"template":{
                   "containers":[{"name":"api","image":"localhost:5001/api:2",
                     "env":[{"name":"MODE","value":"prod"},{"name":"EXTRA","value":"1"}],
                     "resources":{"cpu":0.5,"memory":"1Gi"}}],
                   "scale":{"maxReplicas":5}}}}"""));
    assertThat(cli.berth.requests("GET", aca.operation)).hasSize(2);
    assertThat(result.json().at("/properties/template/containers/0/image").asText())
        .isEqualTo("localhost:5001/api:2");
  }

  @Test
  void updateWithASecretVolumeMountSendsTheVolumesWithTheNewOneAndItsMount() throws Exception {
    Result result =
        cli.run("containerapp", "update", "-n", "api", "-g", "rg1", "--secret-volume-mount", "/s");

    assertThat(result.exit()).as(result.err()).isZero();
    JsonNode template = aca.body("PATCH", aca.id).at("/properties/template");
    String volume = template.at("/volumes/0/name").asText();
    assertThat(volume).startsWith("secret-volume-");
    assertThat(template.at("/volumes/0/storageType").asText()).isEqualTo("Secret");
    assertThat(template.at("/containers/0/volumeMounts/0/volumeName").asText()).isEqualTo(volume);
    assertThat(template.at("/containers/0/volumeMounts/0/mountPath").asText()).isEqualTo("/s");
  }

  @Test
  void updateWithOnlyASuffixSendsNoContainers() throws Exception {
    Result result =
        cli.run("containerapp", "update", "-n", "api", "-g", "rg1", "--revision-suffix", "v2");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(aca.body("PATCH", aca.id))
        .isEqualTo(json("{\"properties\":{\"template\":{\"revisionSuffix\":\"v2\"}}}"));
  }

  @Test
  void updateWithNothingToChangeSaysWhatItTakes() {
    Result result = cli.run("containerapp", "update", "-n", "api", "-g", "rg1");
    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).startsWith("ERROR: Nothing to update");
  }

  @Test
  void showPrintsATable() {
    Result result = cli.run("containerapp", "show", "-n", "api", "-g", "rg1", "-o", "table");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out())
        .isEqualTo(
            """
            Name  Location  ResourceGroup  Fqdn                  LatestRevision  ProvisioningState  RunningStatus
            ----  --------  -------------  --------------------  --------------  -----------------  -------------
            api   local     rg1            api.env1.local.berth  api--v1         Succeeded          Running
            """);
  }

  @Test
  void showSaysWhereTheAppAnswersAndHowManyReplicasRunOnStandardError() {
    Result result = cli.run("containerapp", "show", "-n", "api", "-g", "rg1");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out()).contains("\"fqdn\"").doesNotContain("Access your app");
    assertThat(result.err())
        .contains("Access your app at https://api.env1.local.berth/ (2 replicas running.)");
  }

  @Test
  void listWithoutAGroupListsTheSubscription() {
    String path = cli.subscriptionPath() + "/providers/Microsoft.App/containerApps";
    cli.berth.on("GET", path, r -> Response.json(200, "{\"value\":[" + aca.app + "]}"));

    Result result = cli.run("containerapp", "list");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.json().get(0).path("resourceGroup").asText()).isEqualTo("rg1");
    assertThat(cli.berth.requests("GET", path).get(0).query()).isEqualTo("api-version=2025-07-01");
  }

  @Test
  void deleteWaitsForTheOperation() {
    Result result = cli.run("containerapp", "delete", "-n", "api", "-g", "rg1", "--yes");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(cli.berth.requests("DELETE", aca.id)).hasSize(1);
    assertThat(cli.berth.requests("GET", aca.operation)).hasSize(2);
    assertThat(result.out()).isEmpty();
  }

  @Test
  void deleteWithoutYesAndNoTerminalRefuses() {
    Result result = cli.run("containerapp", "delete", "-n", "api", "-g", "rg1");
    assertThat(result.exit()).isEqualTo(1);
    assertThat(cli.berth.requests("DELETE", aca.id)).isEmpty();
  }
}
