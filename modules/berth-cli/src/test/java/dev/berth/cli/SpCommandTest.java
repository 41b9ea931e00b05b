package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.cli.CliHarness.Result;
import dev.berth.client.FakeBerth.Response;
import org.junit.jupiter.api.Test;

class SpCommandTest extends SignedInTest {

  static final String SPS = "/providers/Berth.Identity/servicePrincipals";

  private static String principal(String secret) {
    return """
        {"id":"/providers/Berth.Identity/servicePrincipals/app-9","name":"app-9",
         "type":"Berth.Identity/servicePrincipals",
         "properties":{"displayName":"ci","appId":"app-9","principalId":"obj-9",
                       "tenantId":"t-1111"%s}}"""
        .formatted(secret == null ? "" : ",\"clientSecret\":\"" + secret + "\"");
  }

  @Test
  void createPostsTheDisplayNameAndPrintsTheSecretOnce() throws Exception {
    cli.berth.on("POST", SPS, r -> Response.json(201, principal("pw-123")));

    Result result = cli.run("sp", "create", "--name", "ci");

    assertThat(result.exit()).as(result.err()).isZero();
    var post = cli.berth.requests("POST", SPS).get(0);
    assertThat(post.query()).isEqualTo("api-version=2025-01-01");
    assertThat(json(post.body())).isEqualTo(json("{\"displayName\":\"ci\"}"));
    assertThat(result.json())
        .isEqualTo(
            new ObjectMapper()
                .readTree(
                    """
                    {"appId":"app-9","displayName":"ci","password":"pw-123",
                     "tenant":"t-1111","principalId":"obj-9"}
                    """));
  }

  @Test
  void credentialResetPrintsTheNewSecret() {
    cli.berth.on("POST", SPS + "/app-9/resetSecret", r -> Response.json(200, principal("pw-new")));

    Result result = cli.run("sp", "credential", "reset", "--id", "app-9", "-o", "table");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out())
        .isEqualTo(
            """
            AppId  DisplayName  Password  Tenant
            -----  -----------  --------  ------
            app-9  ci           pw-new    t-1111
            """);
  }

  @Test
  void listShowAndDelete() {
    cli.berth.on("GET", SPS, r -> Response.json(200, "{\"value\":[" + principal(null) + "]}"));
    cli.berth.on("GET", SPS + "/app-9", r -> Response.json(200, principal(null)));
    cli.berth.on("DELETE", SPS + "/app-9", r -> Response.json(204, ""));

    assertThat(cli.run("sp", "list", "-o", "table").out())
        .isEqualTo(
            """
            DisplayName  AppId  PrincipalId
            -----------  -----  -----------
            ci           app-9  obj-9
            """);
    assertThat(cli.run("sp", "show", "--id", "app-9").json().at("/properties/appId").asText())
        .isEqualTo("app-9");
    assertThat(cli.run("sp", "delete", "--id", "app-9").exit()).isZero();
    assertThat(cli.berth.requests("DELETE", SPS + "/app-9")).hasSize(1);
  }
}
