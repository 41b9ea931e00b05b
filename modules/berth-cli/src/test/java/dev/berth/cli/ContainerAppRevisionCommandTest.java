package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cli.CliHarness.Result;
import dev.berth.client.FakeBerth.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code containerapp revision|replica|logs}. */
class ContainerAppRevisionCommandTest extends SignedInTest {

  FakeContainerApp aca;
  String revisions;

  @BeforeEach
  void start() {
    aca = new FakeContainerApp(cli).serve();
    revisions = aca.id + "/revisions";
  }

  private static String revision(String name, boolean active) {
    return """
        {"id":"x/revisions/%s","name":"%s","type":"Microsoft.App/containerApps/revisions",
         "properties":{"active":%s,"replicas":1,"trafficWeight":100,"healthState":"Healthy",
           "provisioningState":"Provisioned","runningState":"Running","createdTime":"2026-11-26T20:00:00Z",
           "template":{"revisionSuffix":"v0","containers":[{"name":"api","image":"localhost:5001/api:0"}]}}}"""
        .formatted(name, name, active);
  }

  private static String replica(String name) {
    return """
        {"name":"%s","properties":{"runningState":"Running",
         "containers":[{"name":"api","ready":true},{"name":"side","ready":true}]}}"""
        .formatted(name);
  }

  @Test
  void listShowsActiveRevisionsUnlessAll() {
    cli.berth.on(
        "GET",
        revisions,
        r ->
            Response.json(
                200,
                "{\"value\":["
                    + revision("api--v0", false)
                    + ","
                    + revision("api--v1", true)
                    + "]}"));

    Result active = cli.run("containerapp", "revision", "list", "-n", "api", "-g", "rg1");
    Result all = cli.run("containerapp", "revision", "list", "-n", "api", "-g", "rg1", "--all");

    assertThat(active.exit()).as(active.err()).isZero();
    assertThat(active.json()).extracting(r -> r.path("name").asText()).containsExactly("api--v1");
    assertThat(all.json())
        .extracting(r -> r.path("name").asText())
        .containsExactly("api--v0", "api--v1");
    assertThat(cli.berth.requests("GET", revisions).get(0).query())
        .isEqualTo("api-version=2025-07-01");
  }

  @Test
  void showDerivesTheAppFromTheRevisionName() {
    cli.berth.on("GET", revisions + "/api--v1", r -> Response.json(200, revision("api--v1", true)));

    Result result =
        cli.run(
            "containerapp",
            "revision",
            "show",
            "-g",
            "rg1",
            "--revision",
            "api--v1",
            "-o",
            "table");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out()).startsWith("Name     Active  TrafficWeight").contains("api--v1  true");
  }

  @Test
  void actionsPostAndPrintTheServersJsonString() {
    cli.berth.on(
        "POST", revisions + "/api--v1/restart", r -> Response.json(200, "\"Restart succeeded\""));

    Result result =
        cli.run("containerapp", "revision", "restart", "-g", "rg1", "--revision", "api--v1");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out()).isEqualTo("\"Restart succeeded\"\n");
    assertThat(cli.berth.requests("POST", revisions + "/api--v1/restart").get(0).query())
        .isEqualTo("api-version=2025-07-01");
  }

  @Test
  void activateAndDeactivateUseTheirActions() {
    cli.berth.on(
        "POST", revisions + "/api--v0/activate", r -> Response.json(200, "\"Activate succeeded\""));
    cli.berth.on(
        "POST",
        revisions + "/api--v0/deactivate",
        r -> Response.json(200, "\"Deactivate succeeded\""));

    assertThat(
            cli.run("containerapp", "revision", "activate", "-g", "rg1", "--revision", "api--v0")
                .out())
        .contains("Activate succeeded");
    assertThat(
            cli.run(
                    "containerapp",
                    "revision",
                    "deactivate",
                    "-n",
                    "api",
                    "-g",
                    "rg1",
                    "--revision",
                    "api--v0")
                .out())
        .contains("Deactivate succeeded");
  }

  @Test
  void aRevisionNameWithoutAnAppNeedsName() {
    Result result = cli.run("containerapp", "revision", "show", "-g", "rg1", "--revision", "v1");
    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).contains("<app>--<suffix>").contains("--name");
  }

  @Test
  void copyPutsTheAppWithTheSourceRevisionsTemplateAndTheChanges() throws Exception {
    cli.berth.on(
        "GET", revisions + "/api--v0", r -> Response.json(200, revision("api--v0", false)));

    Result result =
        cli.run(
            "containerapp",
            "revision",
            "copy",
            "-g",
            "rg1",
            "--from-revision",
            "api--v0",
            "--image",
            "localhost:5001/api:3",
            "--revision-suffix",
            "v3");

    assertThat(result.exit()).as(result.err()).isZero();
    var put = aca.body("PUT", aca.id);
    assertThat(put.at("/properties/template"))
        .isEqualTo(
            json(
                "{\"revisionSuffix\":\"v3\",\"containers\":[{\"name\":\"api\","
                    + "\"image\":\"localhost:5001/api:3\"}]}"));
    assertThat(put.at("/properties/configuration/secrets/0/value").asText()).isEqualTo("pw");
  }

  @Test
  void copyWithoutASuffixDropsTheSourcesSuffix() {
    Result result =
        cli.run("containerapp", "revision", "copy", "-n", "api", "-g", "rg1", "--cpu", "1");

    assertThat(result.exit()).as(result.err()).isZero();
    var template = aca.body("PUT", aca.id).at("/properties/template");
    assertThat(template.has("revisionSuffix")).isFalse();
    assertThat(template.at("/containers/0/resources/cpu").asDouble()).isEqualTo(1.0);
  }

  @Test
  void replicaTablesShowEachReplicasAddress() {
    cli.berth.on(
        "GET",
        revisions + "/api--v1/replicas",
        r ->
            Response.json(
                200,
                "{\"value\":[{\"name\":\"api--v1-abc\",\"properties\":{\"runningState\":"
                    + "\"Running\",\"address\":\"10.213.0.7\",\"createdTime\":\"t\"}}]}"));

    Result result =
        cli.run("containerapp", "replica", "list", "-n", "api", "-g", "rg1", "-o", "table");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out().lines().findFirst().orElse("")).contains("Address");
    assertThat(result.out()).contains("10.213.0.7");
  }

  @Test
  void replicaListDefaultsToTheLatestRevision() {
    String replicas = revisions + "/api--v1/replicas";
    cli.berth.on(
        "GET", replicas, r -> Response.json(200, "{\"value\":[" + replica("api--v1-abc") + "]}"));

    Result result = cli.run("containerapp", "replica", "list", "-n", "api", "-g", "rg1");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.json().get(0).path("name").asText()).isEqualTo("api--v1-abc");
    assertThat(cli.berth.requests("GET", replicas).get(0).query())
        .isEqualTo("api-version=2025-07-01");
  }

  @Test
  void logsShowStreamsTheFirstReplicasFirstContainerOfTheLatestRevision() {
    String replicas = revisions + "/api--v1/replicas";
    cli.berth.on(
        "GET", replicas, r -> Response.json(200, "{\"value\":[" + replica("api--v1-abc") + "]}"));
    String stream = replicas + "/api--v1-abc/containers/api/logstream";
    cli.berth.on("GET", stream, r -> Response.json(200, "line one\nline two\n"));

    Result result = cli.run("containerapp", "logs", "show", "-n", "api", "-g", "rg1", "--follow");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out()).isEqualTo("line one\nline two\n");
    var request = cli.berth.requests("GET", stream).get(0);
    assertThat(request.query())
        .isEqualTo("follow=true&tailLines=20&type=console&api-version=2025-07-01");
    assertThat(request.header("Accept")).isEqualTo("text/plain");
  }

  @Test
  void logsShowOfANamedReplicaReadsItAndUsesTheGivenOptions() {
    String replicaPath = revisions + "/api--v0/replicas/api--v0-x";
    cli.berth.on("GET", replicaPath, r -> Response.json(200, replica("api--v0-x")));
    String stream = replicaPath + "/containers/side/logstream";
    cli.berth.on("GET", stream, r -> Response.json(200, "{\"Reason\":\"ImagePulled\"}\n"));

    Result result =
        cli.run(
            "containerapp",
            "logs",
            "show",
            "-n",
            "api",
            "-g",
            "rg1",
            "--revision",
            "api--v0",
            "--replica",
            "api--v0-x",
            "--container",
            "side",
            "--tail",
            "5");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out()).isEqualTo("{\"Reason\":\"ImagePulled\"}\n");
    assertThat(cli.berth.requests("GET", stream).get(0).query())
        .isEqualTo("follow=false&tailLines=5&type=console&api-version=2025-07-01");
  }

  @Test
  void systemLogsAreTheAppsEventStreamAndNeedNoReplica() {
    String events = aca.id + "/eventstream";
    cli.berth.on("GET", events, r -> Response.json(200, "{\"Reason\":\"ImagePullBackOff\"}\n"));

    Result result =
        cli.run("containerapp", "logs", "show", "-n", "api", "-g", "rg1", "--type", "system");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out()).isEqualTo("{\"Reason\":\"ImagePullBackOff\"}\n");
    assertThat(cli.berth.requests("GET", events).get(0).query())
        .isEqualTo("follow=false&tailLines=20&api-version=2025-07-01");
    assertThat(cli.berth.requests("GET", revisions + "/api--v1/replicas")).isEmpty();
  }

  @Test
  void consoleLogsOfAFailedRevisionWithoutReplicasSayWhyAndPointToSystemLogs() {
    cli.berth.on("GET", revisions + "/api--v1/replicas", r -> Response.json(200, "{\"value\":[]}"));
    cli.berth.on(
        "GET",
        revisions + "/api--v1",
        r ->
            Response.json(
                200,
                "{\"name\":\"api--v1\",\"properties\":{\"provisioningState\":\"Failed\","
                    + "\"provisioningError\":\"UNAUTHORIZED: pull refused\\nBerth's diagnosis\"}}"));

    Result result = cli.run("containerapp", "logs", "show", "-n", "api", "-g", "rg1");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err())
        .contains("has no replicas")
        .contains("could not start (UNAUTHORIZED: pull refused)")
        .contains("--type system")
        .doesNotContain("scaled to zero");
  }

  @Test
  void logStreamErrorsKeepTheArmCodeAndMessage() {
    cli.berth.on(
        "GET",
        revisions + "/api--v1/replicas",
        r -> Response.json(200, "{\"value\":[" + replica("r1") + "]}"));
    cli.berth.on(
        "GET",
        revisions + "/api--v1/replicas/r1/containers/api/logstream",
        r ->
            Response.json(
                404,
                "{\"error\":{\"code\":\"ContainerNotFound\",\"message\":\"No container 'api'.\"}}"));

    Result result = cli.run("containerapp", "logs", "show", "-n", "api", "-g", "rg1");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).isEqualTo("ERROR: (ContainerNotFound) No container 'api'.\n");
  }
}
