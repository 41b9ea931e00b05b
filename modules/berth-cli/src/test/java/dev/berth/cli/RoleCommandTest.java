package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.cli.CliHarness.Result;
import dev.berth.client.FakeBerth;
import dev.berth.client.FakeBerth.Response;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoleCommandTest extends SignedInTest {

  static final String ACR_PULL = "7f951dda-4ed3-4680-a7ca-43fe172d538d";
  static final String REGISTRY =
      "/subscriptions/"
          + CliHarness.SUBSCRIPTION
          + "/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/myacr";
  static final String AUTHZ = "/providers/Microsoft.Authorization";

  private static String acrPull() {
    return """
        {"value":[{"id":"/subscriptions/s%s/roleDefinitions/%s","name":"%s",
          "type":"Microsoft.Authorization/roleDefinitions",
          "properties":{"roleName":"AcrPull","type":"BuiltInRole","description":"acr pull"}}]}"""
        .formatted(AUTHZ, ACR_PULL, ACR_PULL);
  }

  @Test
  void definitionListFiltersByRoleNameAtTheSubscription() {
    String path = cli.subscriptionPath() + AUTHZ + "/roleDefinitions";
    cli.berth.on("GET", path, r -> Response.json(200, acrPull()));

    Result result = cli.run("role", "definition", "list", "--name", "AcrPull", "-o", "table");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(cli.berth.requests("GET", path).get(0).query())
        .isEqualTo("api-version=2022-04-01&$filter=roleName eq 'AcrPull'");
    assertThat(result.out()).contains("AcrPull  BuiltInRole  acr pull");
  }

  @Test
  void assignmentCreateResolvesTheRoleNameAndPutsTheAssignment() throws Exception {
    cli.berth.on("GET", REGISTRY + AUTHZ + "/roleDefinitions", r -> Response.json(200, acrPull()));
    String prefix = REGISTRY + AUTHZ + "/roleAssignments/";
    // The assignment name is a fresh GUID, so answer any PUT under the prefix.
    FakeBerth berth = cli.berth;
    berth.onPrefix(
        "PUT", prefix, r -> Response.json(201, "{\"properties\":{\"principalId\":\"pid-42\"}}"));

    Result result =
        cli.run(
            "role",
            "assignment",
            "create",
            "--assignee-object-id",
            "pid-42",
            "--role",
            "acrpull",
            "--scope",
            REGISTRY,
            "--condition",
            "@Resource[repo] StringEquals 'api'",
            "--description",
            "pull for api");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(berth.requests("GET", REGISTRY + AUTHZ + "/roleDefinitions").get(0).query())
        .endsWith("$filter=roleName eq 'acrpull'");
    List<FakeBerth.Request> puts =
        berth.requests().stream().filter(r -> r.method().equals("PUT")).toList();
    assertThat(puts).hasSize(1);
    assertThat(puts.get(0).path()).matches(prefix.replace(".", "\\.") + "[0-9a-f-]{36}");
    assertThat(puts.get(0).query()).isEqualTo("api-version=2022-04-01");
    JsonNode body = json(puts.get(0).body());
    assertThat(body)
        .isEqualTo(
            new ObjectMapper()
                .readTree(
                    """
                    {"properties":{
                      "roleDefinitionId":"/subscriptions/%s/providers/Microsoft.Authorization/roleDefinitions/%s",
                      "principalId":"pid-42","principalType":"ServicePrincipal",
                      "description":"pull for api",
                      "condition":"@Resource[repo] StringEquals 'api'","conditionVersion":"2.0"}}
                    """
                        .formatted(CliHarness.SUBSCRIPTION, ACR_PULL)));
  }

  @Test
  void assignmentCreateWithARoleGuidSkipsTheLookup() {
    String prefix = cli.subscriptionPath() + AUTHZ + "/roleAssignments/";
    cli.berth.onPrefix("PUT", prefix, r -> Response.json(201, "{}"));

    Result result =
        cli.run("role", "assignment", "create", "--assignee", "pid-1", "--role", ACR_PULL);

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(cli.berth.requests()).noneMatch(r -> r.path().endsWith("/roleDefinitions"));
    assertThat(cli.berth.requests().stream().filter(r -> r.method().equals("PUT")).findFirst())
        .get()
        .satisfies(r -> assertThat(r.body()).contains("/roleDefinitions/" + ACR_PULL));
  }

  @Test
  void unknownRoleIsAnError() {
    cli.berth.on(
        "GET",
        cli.subscriptionPath() + AUTHZ + "/roleDefinitions",
        r -> Response.json(200, "{\"value\":[]}"));
    Result result = cli.run("role", "assignment", "create", "--assignee", "p", "--role", "Nope");
    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).isEqualTo("ERROR: Role 'Nope' doesn't exist.\n");
  }

  @Test
  void assignmentListUsesAtScopeOrPrincipalFilters() {
    String path = REGISTRY + AUTHZ + "/roleAssignments";
    cli.berth.on("GET", path, r -> Response.json(200, "{\"value\":[]}"));

    assertThat(cli.run("role", "assignment", "list", "--scope", REGISTRY).exit()).isZero();
    assertThat(
            cli.run("role", "assignment", "list", "--scope", REGISTRY, "--assignee", "p1").exit())
        .isZero();
    assertThat(cli.run("role", "assignment", "list", "--scope", REGISTRY, "--all").exit()).isZero();

    assertThat(cli.berth.requests("GET", path))
        .extracting(FakeBerth.Request::query)
        .containsExactly(
            "api-version=2022-04-01&$filter=atScope()",
            "api-version=2022-04-01&$filter=principalId eq 'p1'",
            "api-version=2022-04-01");
  }

  @Test
  void assignmentDeleteByAssigneeRoleAndScopeDeletesOnlyTheMatch() {
    String list = REGISTRY + AUTHZ + "/roleAssignments";
    String keep = list + "/keep-1";
    String drop = list + "/drop-1";
    cli.berth.on("GET", REGISTRY + AUTHZ + "/roleDefinitions", r -> Response.json(200, acrPull()));
    cli.berth.on(
        "GET",
        list,
        r ->
            Response.json(
                200,
                """
                {"value":[
                 {"id":"%s","properties":{"principalId":"p1","scope":"%s",
                   "roleDefinitionId":"/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/%s"}},
                 {"id":"%s","properties":{"principalId":"p1","scope":"%s",
                   "roleDefinitionId":"/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/other"}}]}
                """
                    .formatted(drop, REGISTRY, ACR_PULL, keep, REGISTRY)));
    cli.berth.on("DELETE", drop, r -> Response.json(200, "{}"));

    Result result =
        cli.run(
            "role",
            "assignment",
            "delete",
            "--assignee",
            "p1",
            "--role",
            "AcrPull",
            "--scope",
            REGISTRY);

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(cli.berth.requests())
        .filteredOn(r -> r.method().equals("DELETE"))
        .extracting(FakeBerth.Request::path)
        .containsExactly(drop);
  }

  @Test
  void assignmentDeleteByIds() {
    String id = cli.subscriptionPath() + AUTHZ + "/roleAssignments/a1";
    cli.berth.on("DELETE", id, r -> Response.json(204, ""));
    assertThat(cli.run("role", "assignment", "delete", "--ids", id).exit()).isZero();
    assertThat(cli.berth.requests("DELETE", id).get(0).query()).isEqualTo("api-version=2022-04-01");
  }
}
