package dev.berth.cli;

import static dev.berth.cli.CliHarness.CLIENT_ID;
import static dev.berth.cli.CliHarness.SECRET;
import static dev.berth.cli.CliHarness.SUBSCRIPTION;
import static dev.berth.cli.CliHarness.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.cli.CliHarness.Result;
import dev.berth.client.FakeBerth;
import dev.berth.client.FakeBerth.Response;
import dev.berth.testing.TestCa;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoginCommandTest {

  @TempDir Path root;
  CliHarness cli;

  @BeforeEach
  void start() {
    cli = new CliHarness(root);
  }

  @AfterEach
  void stop() {
    cli.close();
  }

  @Test
  void loginFromBootstrapRequestsAManagementTokenAndSavesAPrivateProfile() throws Exception {
    cli.writeBootstrap();

    Result result = cli.run("login");

    assertThat(result.exit()).as(result.err()).isZero();
    FakeBerth.Request token =
        cli.berth.requests("POST", "/" + TENANT + "/oauth2/v2.0/token").get(0);
    assertThat(token.header("Content-Type")).startsWith("application/x-www-form-urlencoded");
    assertThat(token.form())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "grant_type",
                "client_credentials",
                "client_id",
                CLIENT_ID,
                "client_secret",
                SECRET,
                "scope",
                cli.berth.endpoint().toString().replaceAll("/$", "") + "/.default"));
    Path profile = cli.profileFile();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(profile)))
        .isEqualTo("rw-------");
    JsonNode saved = new ObjectMapper().readTree(profile.toFile());
    assertThat(saved.path("subscriptionId").asText()).isEqualTo(SUBSCRIPTION);
    assertThat(saved.path("accessToken").asText()).isEqualTo("token-1");
    assertThat(saved.path("caFile").asText()).isEqualTo(TestCa.get().caPem().toString());
    assertThat(result.json().path("id").asText()).isEqualTo(SUBSCRIPTION);
    assertThat(result.out()).doesNotContain(SECRET).doesNotContain("token-1");
  }

  @Test
  void servicePrincipalLoginPicksTheFirstEnabledSubscription() {
    cli.berth.on(
        "GET",
        "/subscriptions",
        r ->
            Response.json(
                200,
                """
                {"value":[{"subscriptionId":"sub-off","state":"Disabled"},
                          {"subscriptionId":"sub-on","state":"Enabled"}]}
                """));

    Result result =
        cli.run(
            "login",
            "--service-principal",
            "-u",
            CLIENT_ID,
            "-p",
            SECRET,
            "--tenant",
            TENANT,
            "--endpoint",
            cli.berth.endpoint().toString(),
            "--ca-file",
            TestCa.get().caPem().toString());

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(cli.berth.requests("GET", "/subscriptions").get(0).query())
        .isEqualTo("api-version=2022-12-01");
    assertThat(cli.berth.requests("GET", "/subscriptions").get(0).header("Authorization"))
        .isEqualTo("Bearer token-1");
    assertThat(cli.run("account", "show").json().path("id").asText()).isEqualTo("sub-on");
  }

  @Test
  void theServicePrincipalSecretCanComeFromStdin() {
    cli.stdin = SECRET + "\n";

    Result result =
        cli.run(
            "login",
            "--service-principal",
            "-u",
            CLIENT_ID,
            "-p",
            "@-",
            "--tenant",
            TENANT,
            "--subscription",
            SUBSCRIPTION,
            "--endpoint",
            cli.berth.endpoint().toString(),
            "--ca-file",
            TestCa.get().caPem().toString());

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(cli.profileFile()).exists();
  }

  @Test
  void wrongSecretPrintsEntrasDescriptionAndExitsOne() {
    Result result =
        cli.run(
            "login",
            "--service-principal",
            "-u",
            CLIENT_ID,
            "-p",
            "wrong",
            "--tenant",
            TENANT,
            "--subscription",
            SUBSCRIPTION,
            "--endpoint",
            cli.berth.endpoint().toString(),
            "--ca-file",
            TestCa.get().caPem().toString());

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).isEqualTo("ERROR: AADSTS7000215: Invalid client secret provided.\n");
    assertThat(cli.profileFile()).doesNotExist();
  }

  @Test
  void expiredTokenIsRefreshedAndSavedBeforeTheNextCall() throws Exception {
    cli.login();
    cli.berth.on(
        "GET", cli.subscriptionPath() + "/resourcegroups/rg", r -> Response.json(200, "{}"));
    cli.now = cli.now.plusSeconds(3600 + 1);

    Result result = cli.run("group", "show", "-n", "rg");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(cli.berth.requests("POST", "/" + TENANT + "/oauth2/v2.0/token")).hasSize(2);
    assertThat(
            cli.berth
                .requests("GET", cli.subscriptionPath() + "/resourcegroups/rg")
                .get(0)
                .header("Authorization"))
        .isEqualTo("Bearer token-2");
    JsonNode saved = new ObjectMapper().readTree(cli.profileFile().toFile());
    assertThat(saved.path("accessToken").asText()).isEqualTo("token-2");
  }

  @Test
  void validTokenIsReusedWithoutAskingAgain() {
    cli.login();
    cli.berth.on(
        "GET", cli.subscriptionPath() + "/resourcegroups/rg", r -> Response.json(200, "{}"));
    cli.now = cli.now.plusSeconds(600);

    assertThat(cli.run("group", "show", "-n", "rg").exit()).isZero();
    assertThat(cli.berth.requests("POST", "/" + TENANT + "/oauth2/v2.0/token")).hasSize(1);
  }

  @Test
  void loginWithoutBootstrapExplainsWhatToDo() {
    Result result = cli.run("login");
    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err())
        .startsWith("ERROR: No ")
        .contains("bootstrap.json")
        .contains("berth up");
  }

  @Test
  void refusedConnectionNamesTheEndpointAndSuggestsBerthUp() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Result result =
        cli.run(
            "login",
            "--service-principal",
            "-u",
            CLIENT_ID,
            "-p",
            SECRET,
            "--tenant",
            TENANT,
            "--endpoint",
            "https://127.0.0.1:" + port + "/");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err())
        .startsWith("ERROR: Cannot connect to Berth at https://127.0.0.1:" + port + "/")
        .contains("berth up");
  }

  @Test
  void commandsBeforeLoginAskForLogin() {
    Result result = cli.run("group", "list");
    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).isEqualTo("ERROR: Please run 'berth login' to set up an account.\n");
  }

  @Test
  void logoutForgetsTheProfile() {
    cli.login();
    assertThat(cli.run("logout").exit()).isZero();
    assertThat(cli.profileFile()).doesNotExist();
    assertThat(cli.run("account", "show").exit()).isEqualTo(1);
  }

  @Test
  void debugLogsRequestsButNeverSecretsOrTokens() {
    cli.writeBootstrap();
    Result result = cli.run("login", "--debug");
    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.err()).contains("DEBUG: Request: POST").contains("/oauth2/v2.0/token");
    assertThat(result.err()).doesNotContain(SECRET).doesNotContain("token-1");
  }
}
