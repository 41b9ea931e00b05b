package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cli.CliHarness.Result;
import dev.berth.client.FakeBerth.Response;
import org.junit.jupiter.api.Test;

class UserCommandTest extends SignedInTest {

  static final String USERS = "/providers/Berth.Identity/users";

  private static String user(String password) {
    return """
        {"id":"/providers/Berth.Identity/users/alice","name":"alice",
         "type":"Berth.Identity/users",
         "properties":{"userName":"alice","displayName":"Alice","principalId":"obj-7",
                       "tenantId":"t-1111"%s}}"""
        .formatted(password == null ? "" : ",\"password\":\"" + password + "\"");
  }

  @Test
  void createPutsTheUserAndPrintsTheGeneratedPasswordOnce() throws Exception {
    cli.berth.on("PUT", USERS + "/alice", r -> Response.json(201, user("pw-generated-1")));

    Result result = cli.run("user", "create", "--name", "alice", "--display-name", "Alice");

    assertThat(result.exit()).as(result.err()).isZero();
    var put = cli.berth.requests("PUT", USERS + "/alice").get(0);
    assertThat(put.query()).isEqualTo("api-version=2025-01-01");
    assertThat(json(put.body())).isEqualTo(json("{\"properties\":{\"displayName\":\"Alice\"}}"));
    assertThat(result.json().path("password").asText()).isEqualTo("pw-generated-1");
    assertThat(result.json().path("principalId").asText()).isEqualTo("obj-7");
  }

  @Test
  void passwordStdinSendsTheFirstLineAndPrintsNoPassword() throws Exception {
    cli.berth.on("PUT", USERS + "/alice", r -> Response.json(201, user(null)));
    cli.stdin = "a long enough password\nignored\n";

    Result result = cli.run("user", "create", "--name", "alice", "--password-stdin");

    assertThat(result.exit()).as(result.err()).isZero();
    var put = cli.berth.requests("PUT", USERS + "/alice").get(0);
    assertThat(json(put.body()))
        .isEqualTo(json("{\"properties\":{\"password\":\"a long enough password\"}}"));
    assertThat(result.json().has("password")).isFalse();
    assertThat(result.out()).doesNotContain("a long enough password");
  }

  @Test
  void anArmErrorIsShownInTheApisWords() {
    cli.berth.on(
        "PUT",
        USERS + "/alice",
        r ->
            Response.json(
                400,
                "{\"error\":{\"code\":\"InvalidParameter\",\"message\":\"The password must be at"
                    + " least 12 characters long.\",\"target\":\"properties.password\"}}"));
    cli.stdin = "short\n";

    Result result = cli.run("user", "create", "--name", "alice", "--password-stdin");

    assertThat(result.exit()).isNotZero();
    assertThat(result.err()).contains("at least 12 characters");
  }

  @Test
  void resetPasswordPrintsTheNewPassword() {
    cli.berth.on("POST", USERS + "/alice/resetPassword", r -> Response.json(200, user("pw-new-2")));

    Result result = cli.run("user", "reset-password", "--name", "alice", "-o", "table");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out())
        .isEqualTo(
            """
            UserName  DisplayName  Password  PrincipalId
            --------  -----------  --------  -----------
            alice     Alice        pw-new-2  obj-7
            """);
  }

  @Test
  void listShowAndDelete() {
    cli.berth.on("GET", USERS, r -> Response.json(200, "{\"value\":[" + user(null) + "]}"));
    cli.berth.on("GET", USERS + "/alice", r -> Response.json(200, user(null)));
    cli.berth.on("DELETE", USERS + "/alice", r -> Response.json(200, user(null)));

    assertThat(cli.run("user", "list", "-o", "table").out())
        .isEqualTo(
            """
            UserName  DisplayName  PrincipalId
            --------  -----------  -----------
            alice     Alice        obj-7
            """);
    assertThat(
            cli.run("user", "show", "--name", "alice").json().at("/properties/userName").asText())
        .isEqualTo("alice");
    assertThat(cli.run("user", "delete", "--name", "alice", "--yes").exit()).isZero();
    assertThat(cli.berth.requests("DELETE", USERS + "/alice")).hasSize(1);
  }

  @Test
  void deleteWithoutYesAndWithoutATerminalRefuses() {
    Result result = cli.run("user", "delete", "--name", "alice");
    assertThat(result.exit()).isNotZero();
    assertThat(result.err()).contains("--yes");
    assertThat(cli.berth.requests("DELETE", USERS + "/alice")).isEmpty();
  }
}
