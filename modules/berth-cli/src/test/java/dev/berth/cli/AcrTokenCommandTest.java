package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.CliHarness.Result;
import dev.berth.client.FakeBerth.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AcrTokenCommandTest extends SignedInTest {

  FakeAcr acr;

  @BeforeEach
  void start() {
    acr = new FakeAcr(cli).onArm();
  }

  @Test
  void scopeMapCreateBuildsRepositoryActionsFromEachRepositoryOption() throws Exception {
    String map = acr.id + "/scopeMaps/pull-api";
    cli.berth.on("PUT", map, r -> Response.json(201, "{\"name\":\"pull-api\"}"));

    Result result =
        cli.run(
            "acr",
            "scope-map",
            "create",
            "-r",
            "myacr",
            "-n",
            "pull-api",
            "--repository",
            "api",
            "content/read",
            "metadata/read",
            "--repository",
            "team/web",
            "content/write",
            "--description",
            "CI");

    assertThat(result.exit()).as(result.err()).isZero();
    var put = cli.berth.requests("PUT", map).get(0);
    assertThat(put.query()).isEqualTo("api-version=2023-07-01");
    assertThat(json(put.body()))
        .isEqualTo(
            json(
                """
                {"properties":{"actions":["repositories/api/content/read",
                  "repositories/api/metadata/read","repositories/team/web/content/write"],
                  "description":"CI"}}"""));
  }

  @Test
  void scopeMapCreateRefusesAnUnknownActionBeforeCallingBerth() {
    Result result =
        cli.run(
            "acr", "scope-map", "create", "-r", "myacr", "-n", "m", "--repository", "api", "pull");
    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).contains("invalid action 'pull'");
    assertThat(cli.berth.requests("PUT", acr.id + "/scopeMaps/m")).isEmpty();
  }

  @Test
  void scopeMapCreateWithoutRepositoryOrWithoutActionIsAUsageError() {
    Result none = cli.run("acr", "scope-map", "create", "-r", "myacr", "-n", "m");
    assertThat(none.exit()).isEqualTo(2);
    assertThat(none.err()).contains("--repository");

    Result noAction =
        cli.run("acr", "scope-map", "create", "-r", "myacr", "-n", "m", "--repository", "api");
    assertThat(noAction.exit()).isEqualTo(2);
    assertThat(noAction.err()).contains("at least one action");
  }

  @Test
  void scopeMapUpdateAddsAndRemovesActions() throws Exception {
    String map = acr.id + "/scopeMaps/m";
    cli.berth.on(
        "GET",
        map,
        r ->
            Response.json(
                200,
                "{\"properties\":{\"actions\":[\"repositories/api/content/read\","
                    + "\"repositories/api/content/write\"]}}"));
    cli.berth.on("PATCH", map, r -> Response.json(200, "{}"));

    Result result =
        cli.run(
            "acr",
            "scope-map",
            "update",
            "-r",
            "myacr",
            "-n",
            "m",
            "--add-repository",
            "web",
            "content/read",
            "--remove-repository",
            "api",
            "content/write");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(json(cli.berth.requests("PATCH", map).get(0).body()))
        .isEqualTo(
            json(
                "{\"properties\":{\"actions\":[\"repositories/api/content/read\","
                    + "\"repositories/web/content/read\"]}}"));
  }

  @Test
  void tokenCreatePutsTheTokenThenPrintsTheGeneratedPassword() throws Exception {
    String token = acr.id + "/tokens/ci";
    cli.berth.on(
        "PUT",
        token,
        r -> Response.json(201, "{\"name\":\"ci\",\"properties\":{\"status\":\"enabled\"}}"));
    cli.berth.on(
        "POST",
        acr.id + "/generateCredentials",
        r ->
            Response.json(
                200,
                "{\"username\":\"ci\",\"passwords\":[{\"name\":\"password1\",\"value\":\"pw-1\"}]}"));

    Result result =
        cli.run("acr", "token", "create", "-r", "myacr", "-n", "ci", "--scope-map", "pull-api");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(json(cli.berth.requests("PUT", token).get(0).body()))
        .isEqualTo(
            json(
                "{\"properties\":{\"scopeMapId\":\""
                    + acr.id
                    + "/scopeMaps/pull-api\",\"status\":\"enabled\"}}"));
    assertThat(json(cli.berth.requests("POST", acr.id + "/generateCredentials").get(0).body()))
        .isEqualTo(json("{\"tokenId\":\"" + token + "\",\"name\":\"password1\"}"));
    JsonNode credentials = result.json().path("credentials");
    assertThat(credentials.path("username").asText()).isEqualTo("ci");
    assertThat(credentials.path("passwords").path(0).path("value").asText()).isEqualTo("pw-1");
    assertThat(result.err()).contains("store your generated credentials safely");
  }

  @Test
  void tokenCredentialGenerateAsksForBothPasswordsUnlessOneIsNamed() throws Exception {
    cli.berth.on(
        "POST",
        acr.id + "/generateCredentials",
        r -> {
          String name = r.body().contains("password2") ? "password2" : "password1";
          return Response.json(
              200,
              "{\"username\":\"ci\",\"passwords\":[{\"name\":\"" + name + "\",\"value\":\"v\"}]}");
        });

    Result both = cli.run("acr", "token", "credential", "generate", "-r", "myacr", "-n", "ci");
    assertThat(both.exit()).as(both.err()).isZero();
    assertThat(both.json().path("passwords")).hasSize(2);

    Result one =
        cli.run("acr", "token", "credential", "generate", "-r", "myacr", "-n", "ci", "--password2");
    assertThat(one.json().path("passwords")).hasSize(1);
    assertThat(one.json().path("passwords").path(0).path("name").asText()).isEqualTo("password2");
  }

  @Test
  void tokenUpdatePatchesStatusAndDeleteRemovesIt() throws Exception {
    String token = acr.id + "/tokens/ci";
    cli.berth.on("PATCH", token, r -> Response.json(200, "{\"name\":\"ci\"}"));
    cli.berth.on("DELETE", token, r -> Response.json(200, ""));

    assertThat(
            cli.run("acr", "token", "update", "-r", "myacr", "-n", "ci", "--status", "disabled")
                .exit())
        .isZero();
    assertThat(json(cli.berth.requests("PATCH", token).get(0).body()))
        .isEqualTo(json("{\"properties\":{\"status\":\"disabled\"}}"));
    assertThat(cli.run("acr", "token", "delete", "-r", "myacr", "-n", "ci", "-y").exit()).isZero();
    assertThat(cli.berth.requests("DELETE", token)).hasSize(1);
  }
}
