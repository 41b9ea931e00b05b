package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.cli.CliHarness.Result;
import dev.berth.client.FakeBerth.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GroupCommandTest extends SignedInTest {

  String groups;

  @BeforeEach
  void start() {
    groups = cli.subscriptionPath() + "/resourcegroups";
  }

  private static String group(String name, String location) {
    return """
        {"id":"/subscriptions/s/resourceGroups/%s","name":"%s","location":"%s",
         "properties":{"provisioningState":"Succeeded"}}"""
        .formatted(name, name, location);
  }

  @Test
  void createPutsLocationAndTags() throws Exception {
    cli.berth.on("PUT", groups + "/rg1", r -> Response.json(201, group("rg1", "local")));

    Result result = cli.run("group", "create", "-n", "rg1", "--tags", "env=dev", "team=core");

    assertThat(result.exit()).as(result.err()).isZero();
    var put = cli.berth.requests("PUT", groups + "/rg1").get(0);
    assertThat(put.query()).isEqualTo("api-version=2021-04-01");
    assertThat(json(put.body()))
        .isEqualTo(
            new ObjectMapper()
                .readTree("{\"location\":\"local\",\"tags\":{\"env\":\"dev\",\"team\":\"core\"}}"));
    assertThat(result.json().path("name").asText()).isEqualTo("rg1");
  }

  @Test
  void outputNonePrintsNothingAsAzDoes() {
    cli.berth.on("PUT", groups + "/rg1", r -> Response.json(201, group("rg1", "local")));

    Result result = cli.run("group", "create", "-n", "rg1", "-o", "none");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out()).isEmpty();
    assertThat(cli.berth.requests("PUT", groups + "/rg1")).hasSize(1);
  }

  @Test
  void showPrintsPrettyJson() {
    cli.berth.on("GET", groups + "/rg1", r -> Response.json(200, group("rg1", "local")));

    Result result = cli.run("group", "show", "-n", "rg1");

    assertThat(result.exit()).isZero();
    assertThat(result.out()).contains("\n  \"name\": \"rg1\"");
  }

  @Test
  void listFollowsNextLinkAndPrintsAnAlignedTable() {
    String next = cli.berth.endpoint() + "next-groups?api-version=2021-04-01&$skiptoken=2";
    cli.berth.on(
        "GET",
        groups,
        r ->
            Response.json(
                200, "{\"value\":[" + group("rg1", "local") + "],\"nextLink\":\"" + next + "\"}"));
    cli.berth.on(
        "GET",
        "/next-groups",
        r -> Response.json(200, "{\"value\":[" + group("a-longer-group", "westeurope") + "]}"));

    Result result = cli.run("group", "list", "-o", "table");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out())
        .isEqualTo(
            """
            Name            Location    ProvisioningState
            --------------  ----------  -----------------
            rg1             local       Succeeded
            a-longer-group  westeurope  Succeeded
            """);
  }

  @Test
  void deleteWaitsForTheLongRunningOperation() {
    String op = cli.berth.endpoint() + "operationresults/del-1";
    cli.berth.on(
        "DELETE",
        groups + "/rg1",
        r -> Response.json(202, "").with("Location", op).with("Retry-After", "0"));
    cli.berth.sequence(
        "GET",
        "/operationresults/del-1",
        Response.json(202, "").with("Retry-After", "0"),
        Response.json(200, ""));

    Result result = cli.run("group", "delete", "-n", "rg1", "--yes");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(cli.berth.requests("GET", "/operationresults/del-1")).hasSize(2);
  }

  @Test
  void deleteFollowsAzureAsyncOperationToo() {
    String op = cli.berth.endpoint() + "asyncoperations/del-2";
    cli.berth.on(
        "DELETE",
        groups + "/rg1",
        r -> Response.json(202, "").with("Azure-AsyncOperation", op).with("Retry-After", "0"));
    cli.berth.sequence(
        "GET",
        "/asyncoperations/del-2",
        Response.json(200, "{\"status\":\"InProgress\"}").with("Retry-After", "0"),
        Response.json(200, "{\"status\":\"Succeeded\"}"));

    assertThat(cli.run("group", "delete", "-n", "rg1", "-y").exit()).isZero();
    assertThat(cli.berth.requests("GET", "/asyncoperations/del-2")).hasSize(2);
  }

  @Test
  void deleteWithNoWaitReturnsAtOnce() {
    cli.berth.on(
        "DELETE",
        groups + "/rg1",
        r -> Response.json(202, "").with("Location", cli.berth.endpoint() + "operationresults/x"));

    assertThat(cli.run("group", "delete", "-n", "rg1", "--yes", "--no-wait").exit()).isZero();
    assertThat(cli.berth.requests("GET", "/operationresults/x")).isEmpty();
  }

  @Test
  void deleteWithoutYesAndNoTerminalRefusesBeforeCallingBerth() {
    Result result = cli.run("group", "delete", "-n", "rg1");
    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).contains("Use --yes");
    assertThat(cli.berth.requests("DELETE", groups + "/rg1")).isEmpty();
  }

  @Test
  void updatePatchesTheTags() throws Exception {
    cli.berth.on("PATCH", groups + "/rg1", r -> Response.json(200, group("rg1", "local")));

    assertThat(cli.run("group", "update", "-n", "rg1", "--tags", "a=b").exit()).isZero();
    assertThat(json(cli.berth.requests("PATCH", groups + "/rg1").get(0).body()))
        .isEqualTo(json("{\"tags\":{\"a\":\"b\"}}"));
  }

  @Test
  void armErrorIsPrintedWithCodeAndMessageAndExitsOne() {
    cli.berth.on(
        "GET",
        groups + "/nope",
        r ->
            Response.json(
                404,
                "{\"error\":{\"code\":\"ResourceGroupNotFound\",\"message\":\"Resource group"
                    + " 'nope' could not be found.\"}}"));

    Result result = cli.run("group", "show", "-n", "nope");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.out()).isEmpty();
    assertThat(result.err())
        .isEqualTo("ERROR: (ResourceGroupNotFound) Resource group 'nope' could not be found.\n");
  }

  @Test
  void subscriptionOptionOverridesTheProfile() {
    cli.berth.on(
        "GET", "/subscriptions/other/resourcegroups", r -> Response.json(200, "{\"value\":[]}"));
    Result result = cli.run("group", "list", "--subscription", "other");
    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out().trim()).isEqualTo("[]");
  }

  @Test
  void missingRequiredOptionIsAUsageError() {
    Result result = cli.run("group", "create");
    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("--name");
  }
}
