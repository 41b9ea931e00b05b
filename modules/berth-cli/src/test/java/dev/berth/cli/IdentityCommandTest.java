package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.cli.CliHarness.Result;
import dev.berth.client.FakeBerth.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IdentityCommandTest extends SignedInTest {

  String group;
  String identities;

  @BeforeEach
  void start() {
    group = cli.subscriptionPath() + "/resourcegroups/rg1";
    identities = group + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities";
  }

  private static String identity(String name, String location, String clientId) {
    return """
        {"id":"/subscriptions/s/resourcegroups/rg1/providers/Microsoft.ManagedIdentity/userAssignedIdentities/%s",
         "name":"%s","type":"Microsoft.ManagedIdentity/userAssignedIdentities","location":"%s",
         "tags":{},"properties":{"tenantId":"t-1111","principalId":"p-%s","clientId":"%s",
         "isolationScope":"None"}}"""
        .formatted(name, name, location, clientId, clientId);
  }

  @Test
  void createWithoutLocationTakesTheGroupsLocationAndPrintsAzShape() throws Exception {
    cli.berth.on(
        "GET", group, r -> Response.json(200, "{\"name\":\"rg1\",\"location\":\"westeurope\"}"));
    cli.berth.on(
        "PUT",
        identities + "/pull-id",
        r -> Response.json(201, identity("pull-id", "westeurope", "c-1")));

    Result result = cli.run("identity", "create", "-n", "pull-id", "-g", "rg1");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(cli.berth.requests("GET", group).get(0).query()).isEqualTo("api-version=2021-04-01");
    var put = cli.berth.requests("PUT", identities + "/pull-id").get(0);
    assertThat(put.query()).isEqualTo("api-version=2023-01-31");
    assertThat(json(put.body())).isEqualTo(json("{\"location\":\"westeurope\"}"));
    assertThat(result.json().path("clientId").asText()).isEqualTo("c-1");
    assertThat(result.json().path("principalId").asText()).isEqualTo("p-c-1");
    assertThat(result.json().path("tenantId").asText()).isEqualTo("t-1111");
    assertThat(result.json().path("resourceGroup").asText()).isEqualTo("rg1");
    assertThat(result.json().has("properties")).isFalse();
  }

  @Test
  void createWithLocationDoesNotReadTheGroup() throws Exception {
    cli.berth.on(
        "PUT",
        identities + "/pull-id",
        r -> Response.json(201, identity("pull-id", "local", "c-1")));

    Result result = cli.run("identity", "create", "-n", "pull-id", "-g", "rg1", "-l", "local");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(cli.berth.requests("GET", group)).isEmpty();
    assertThat(
            new ObjectMapper()
                .readTree(cli.berth.requests("PUT", identities + "/pull-id").get(0).body()))
        .isEqualTo(json("{\"location\":\"local\"}"));
  }

  @Test
  void createInAMissingGroupFailsWithTheArmError() {
    cli.berth.on(
        "GET",
        group,
        r ->
            Response.json(
                404,
                "{\"error\":{\"code\":\"ResourceGroupNotFound\",\"message\":\"Resource group"
                    + " 'rg1' could not be found.\"}}"));

    Result result = cli.run("identity", "create", "-n", "pull-id", "-g", "rg1");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).startsWith("ERROR: (ResourceGroupNotFound)");
    assertThat(cli.berth.requests("PUT", identities + "/pull-id")).isEmpty();
  }

  @Test
  void showPrintsATableWithIds() {
    cli.berth.on(
        "GET",
        identities + "/pull-id",
        r -> Response.json(200, identity("pull-id", "local", "c-1")));

    Result result = cli.run("identity", "show", "-n", "pull-id", "-g", "rg1", "-o", "table");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out())
        .isEqualTo(
            """
            Name     ResourceGroup  Location  ClientId  PrincipalId
            -------  -------------  --------  --------  -----------
            pull-id  rg1            local     c-1       p-c-1
            """);
  }

  @Test
  void listWithoutGroupListsTheSubscription() {
    String bySub =
        cli.subscriptionPath() + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities";
    cli.berth.on(
        "GET",
        bySub,
        r ->
            Response.json(
                200,
                "{\"value\":["
                    + identity("a-id", "local", "c-1")
                    + ","
                    + identity("b-id", "local", "c-2")
                    + "]}"));

    Result result = cli.run("identity", "list");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.json()).hasSize(2);
    assertThat(result.json().findValuesAsText("clientId")).containsExactly("c-1", "c-2");
    assertThat(cli.berth.requests("GET", bySub).get(0).query()).isEqualTo("api-version=2023-01-31");
  }

  @Test
  void listWithGroupListsTheGroup() {
    cli.berth.on(
        "GET",
        identities,
        r -> Response.json(200, "{\"value\":[" + identity("a-id", "local", "c-1") + "]}"));

    Result result = cli.run("identity", "list", "-g", "rg1");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.json().get(0).path("name").asText()).isEqualTo("a-id");
  }

  @Test
  void deleteSendsDelete() {
    cli.berth.on("DELETE", identities + "/pull-id", r -> Response.json(200, ""));

    Result result = cli.run("identity", "delete", "-n", "pull-id", "-g", "rg1");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(cli.berth.requests("DELETE", identities + "/pull-id")).hasSize(1);
    assertThat(result.out()).isEmpty();
  }

  @Test
  void createNeedsAGroup() {
    Result result = cli.run("identity", "create", "-n", "pull-id");
    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("--resource-group");
  }
}
