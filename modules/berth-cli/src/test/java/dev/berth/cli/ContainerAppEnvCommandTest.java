package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cli.CliHarness.Result;
import dev.berth.client.FakeBerth.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ContainerAppEnvCommandTest extends SignedInTest {

  String group;
  String env;
  String operation;

  @BeforeEach
  void start() {
    group = cli.subscriptionPath() + "/resourceGroups/rg1";
    env = group + "/providers/Microsoft.App/managedEnvironments/env1";
    operation = "/operations/env-1";
    cli.berth.sequence(
        "GET",
        operation,
        Response.json(200, "{\"status\":\"InProgress\"}"),
        Response.json(200, "{\"status\":\"Succeeded\"}"));
  }

  private String envJson(String state) {
    return """
        {"id":"%s","name":"env1","type":"Microsoft.App/managedEnvironments","location":"westeurope",
         "properties":{"provisioningState":"%s","defaultDomain":"env1.abc.local.berth","staticIp":"127.0.0.10"}}"""
        .formatted(env, state);
  }

  private Response started(int status, String body) {
    return Response.json(status, body)
        .with("Azure-AsyncOperation", cli.berth.endpoint() + operation.substring(1))
        .with("Retry-After", "0");
  }

  @Test
  void createTakesTheGroupsLocationPutsAConsumptionProfileAndWaits() throws Exception {
    cli.berth.on(
        "GET", group, r -> Response.json(200, "{\"name\":\"rg1\",\"location\":\"westeurope\"}"));
    cli.berth.on("PUT", env, r -> started(201, envJson("InProgress")));
    cli.berth.on("GET", env, r -> Response.json(200, envJson("Succeeded")));

    Result result = cli.run("containerapp", "env", "create", "-n", "env1", "-g", "rg1");

    assertThat(result.exit()).as(result.err()).isZero();
    var put = cli.berth.requests("PUT", env).get(0);
    assertThat(put.query()).isEqualTo("api-version=2025-07-01");
    assertThat(json(put.body()))
        .isEqualTo(
            json(
                """
                {"location":"westeurope","properties":{"workloadProfiles":[
                  {"name":"Consumption","workloadProfileType":"Consumption"}]}}"""));
    assertThat(cli.berth.requests("GET", operation)).hasSize(2);
    assertThat(result.err()).contains("Waiting for environment 'env1' to finish: InProgress");
    assertThat(result.json().at("/properties/provisioningState").asText()).isEqualTo("Succeeded");
    assertThat(result.json().path("resourceGroup").asText()).isEqualTo("rg1");
  }

  @Test
  void createWithLocationAndNoWaitNeitherReadsTheGroupNorPolls() {
    cli.berth.on("PUT", env, r -> started(201, envJson("InProgress")));

    Result result =
        cli.run(
            "containerapp", "env", "create", "-n", "env1", "-g", "rg1", "-l", "local", "--no-wait");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(cli.berth.requests("GET", group)).isEmpty();
    assertThat(cli.berth.requests("GET", operation)).isEmpty();
    assertThat(result.json().at("/properties/provisioningState").asText()).isEqualTo("InProgress");
  }

  @Test
  void showAndListPrintTables() {
    cli.berth.on("GET", env, r -> Response.json(200, envJson("Succeeded")));
    cli.berth.on(
        "GET",
        cli.subscriptionPath() + "/providers/Microsoft.App/managedEnvironments",
        r -> Response.json(200, "{\"value\":[" + envJson("Succeeded") + "]}"));

    Result show = cli.run("containerapp", "env", "show", "-n", "env1", "-g", "rg1", "-o", "table");
    Result list = cli.run("containerapp", "env", "list", "-o", "table");

    String table =
        """
        Name  Location    ResourceGroup  DefaultDomain         StaticIp    ProvisioningState
        ----  ----------  -------------  --------------------  ----------  -----------------
        env1  westeurope  rg1            env1.abc.local.berth  127.0.0.10  Succeeded
        """;
    assertThat(show.out()).isEqualTo(table);
    assertThat(list.out()).isEqualTo(table);
  }

  @Test
  void deleteRefusedByTheServerKeepsItsCodeAndMessage() {
    cli.berth.on(
        "DELETE",
        env,
        r ->
            Response.json(
                409,
                "{\"error\":{\"code\":\"Conflict\",\"message\":\"Environment 'env1' still has"
                    + " container apps.\"}}"));

    Result result = cli.run("containerapp", "env", "delete", "-n", "env1", "-g", "rg1", "--yes");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err())
        .isEqualTo("ERROR: (Conflict) Environment 'env1' still has container apps.\n");
  }

  @Test
  void deleteWaitsForTheOperation() {
    cli.berth.on("DELETE", env, r -> started(202, ""));

    Result result = cli.run("containerapp", "env", "delete", "-n", "env1", "-g", "rg1", "--yes");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(cli.berth.requests("GET", operation)).hasSize(2);
  }
}
