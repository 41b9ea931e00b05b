package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.BerthCli;
import dev.berth.cli.CliEnvironment;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The berth CLI against the real server: the README's first steps, run in-process. */
class CliIT {

  @RegisterExtension static final RunningBerth BERTH = new RunningBerth();

  @TempDir static Path home;

  static CliRun berth(String... args) {
    return CliRun.of(BERTH.dataDir(), home, args);
  }

  @BeforeAll
  static void logIn() {
    CliRun login = berth("login");
    assertThat(login.exit()).as(login.err()).isZero();
  }

  @Test
  void groupsAreCreatedShownListedAndDeleted() throws Exception {
    CliRun created = berth("group", "create", "-n", "cli-rg", "-l", "local", "--tags", "team=a");
    assertThat(created.exit()).as(created.err()).isZero();
    assertThat(created.json().path("name").asText()).isEqualTo("cli-rg");
    assertThat(created.json().path("tags").path("team").asText()).isEqualTo("a");

    assertThat(berth("group", "show", "-n", "CLI-RG").json().path("name").asText())
        .isEqualTo("cli-rg");
    CliRun table = berth("group", "list", "-o", "table");
    assertThat(table.out()).contains("cli-rg").contains("local");

    assertThat(berth("group", "delete", "-n", "cli-rg", "--yes").exit()).isZero();
    CliRun gone = berth("group", "show", "-n", "cli-rg");
    assertThat(gone.exit()).isEqualTo(1);
    assertThat(gone.err())
        .startsWith("ERROR: (ResourceGroupNotFound) Resource group 'cli-rg' could not be found.");
  }

  @Test
  void aNewServicePrincipalGetsARoleAndLogsIn() throws Exception {
    CliRun sp = berth("sp", "create", "--name", "ci");
    assertThat(sp.exit()).as(sp.err()).isZero();
    String appId = sp.json().path("appId").asText();
    String password = sp.json().path("password").asText();
    String principalId = sp.json().path("principalId").asText();
    assertThat(password).isNotBlank();

    String scope = "/subscriptions/" + BERTH.bootstrap().subscriptionId();
    CliRun assigned =
        berth(
            "role",
            "assignment",
            "create",
            "--assignee-object-id",
            principalId,
            "--role",
            "reader",
            "--scope",
            scope);
    assertThat(assigned.exit()).as(assigned.err()).isZero();
    assertThat(assigned.json().path("properties").path("roleDefinitionId").asText())
        .endsWith("acdd72a7-3385-48ef-bd42-f606fba81ae7");
    assertThat(berth("role", "assignment", "list", "--assignee", principalId).json().size())
        .isEqualTo(1);
    assertThat(
            berth("role", "definition", "list", "--name", "AcrPull")
                .json()
                .get(0)
                .path("name")
                .asText())
        .isEqualTo("7f951dda-4ed3-4680-a7ca-43fe172d538d");

    // The new principal can log in (its own profile) and read, but not write.
    Path other = home.resolve("other");
    CliEnvironment env =
        CliEnvironment.of(Map.of("BERTH_CONFIG_DIR", other.toString()), other, Clock.systemUTC());
    CommandLine cli = BerthCli.commandLine(env);
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err, true));
    cli.setOut(new PrintWriter(new StringWriter(), true));
    assertThat(
            cli.execute(
                "login",
                "--service-principal",
                "-u",
                appId,
                "-p",
                password,
                "--tenant",
                BERTH.bootstrap().tenantId(),
                "--endpoint",
                BERTH.bootstrap().managementEndpoint(),
                "--ca-file",
                BERTH.caFile().toString()))
        .as(err.toString())
        .isZero();
    assertThat(BerthCli.commandLine(env).execute("group", "list")).isZero();
    CommandLine write = BerthCli.commandLine(env);
    StringWriter writeErr = new StringWriter();
    write.setErr(new PrintWriter(writeErr, true));
    assertThat(write.execute("group", "create", "-n", "nope", "-l", "local")).isEqualTo(1);
    assertThat(writeErr.toString()).startsWith("ERROR: (AuthorizationFailed)");
  }

  @Test
  void acrCommandsDriveTheRealRegistry() throws Exception {
    assertThat(berth("group", "create", "-n", "cli-acr", "-l", "local").exit()).isZero();
    CliRun created =
        berth(
            "acr",
            "create",
            "-n",
            "cliacr",
            "-g",
            "cli-acr",
            "--sku",
            "Premium",
            "--admin-enabled",
            "true");
    assertThat(created.exit()).as(created.err()).isZero();
    CliRun shown = berth("acr", "show", "-n", "cliacr");
    assertThat(shown.exit()).as(shown.err()).isZero();
    String loginServer = shown.json().path("properties").path("loginServer").asText();
    assertThat(loginServer).matches("(localhost|[a-z0-9]+\\.azurecr\\.io\\.localhost):\\d+");

    CliRun creds = berth("acr", "credential", "show", "-n", "cliacr");
    assertThat(creds.exit()).as(creds.err()).isZero();
    assertThat(creds.json().path("passwords")).hasSize(2);

    CliRun policy = berth("acr", "config", "authentication-as-arm", "show", "-r", "cliacr");
    assertThat(policy.json().path("status").asText()).isEqualTo("enabled");
    CliRun disabled =
        berth(
            "acr",
            "config",
            "authentication-as-arm",
            "update",
            "-r",
            "cliacr",
            "--status",
            "disabled");
    assertThat(disabled.exit()).as(disabled.err()).isZero();
    assertThat(
            berth("acr", "config", "authentication-as-arm", "show", "-r", "cliacr")
                .json()
                .path("status")
                .asText())
        .isEqualTo("disabled");

    // With the ARM audience refused, login asks for the registry audience, as az does.
    CliRun login = berth("acr", "login", "-n", "cliacr", "--expose-token");
    assertThat(login.exit()).as(login.err()).isZero();
    assertThat(login.json().path("loginServer").asText()).isEqualTo(loginServer);
    assertThat(login.json().path("accessToken").asText()).isNotBlank();

    CliRun rule = berth("acr", "network-rule", "add", "-n", "cliacr", "--ip-address", "127.0.0.2");
    assertThat(rule.exit()).as(rule.err()).isZero();
    assertThat(berth("acr", "network-rule", "list", "-n", "cliacr").out()).contains("127.0.0.2");

    CliRun repos = berth("acr", "repository", "list", "-n", "cliacr");
    assertThat(repos.exit()).as(repos.err()).isZero();
  }

  /**
   * {@code containerapp update --min-replicas --max-replicas --scale-rule-name
   * --scale-rule-http-concurrency} against the real server (issue 12, point 6): the bounds and the
   * rule are stored as ACA stores them, and bounds the server refuses come back as its 400 naming
   * the field. {@code --no-wait}: this server runs no replicas, so the new revision never runs.
   */
  @Test
  void containerappUpdateSetsTheReplicaBoundsAndAnHttpRule() throws Exception {
    assertThat(berth("group", "create", "-n", "cli-app", "-l", "local").exit()).isZero();
    CliRun env = berth("containerapp", "env", "create", "-n", "env", "-g", "cli-app");
    assertThat(env.exit()).as(env.err()).isZero();
    CliRun created =
        berth(
            "containerapp",
            "create",
            "-n",
            "web",
            "-g",
            "cli-app",
            "--environment",
            "env",
            "--image",
            "localhost:1/web:1",
            "--no-wait");
    assertThat(created.exit()).as(created.err()).isZero();

    CliRun updated =
        berth(
            "containerapp",
            "update",
            "-n",
            "web",
            "-g",
            "cli-app",
            "--min-replicas",
            "2",
            "--max-replicas",
            "7",
            "--scale-rule-name",
            "http",
            "--scale-rule-http-concurrency",
            "40",
            "--no-wait");

    assertThat(updated.exit()).as(updated.err()).isZero();
    JsonNode scale =
        berth("containerapp", "show", "-n", "web", "-g", "cli-app")
            .json()
            .at("/properties/template/scale");
    assertThat(scale.path("minReplicas").asInt()).isEqualTo(2);
    assertThat(scale.path("maxReplicas").asInt()).isEqualTo(7);
    assertThat(scale.at("/rules/0/name").asText()).isEqualTo("http");
    assertThat(scale.at("/rules/0/http/metadata/concurrentRequests").asText()).isEqualTo("40");

    CliRun inverted =
        berth(
            "containerapp",
            "update",
            "-n",
            "web",
            "-g",
            "cli-app",
            "--min-replicas",
            "9",
            "--max-replicas",
            "3",
            "--no-wait");
    assertThat(inverted.exit()).isEqualTo(1);
    assertThat(inverted.err())
        .startsWith("ERROR: (InvalidParameterValueInContainerTemplate)")
        .contains("minReplicas (9) must not be more than maxReplicas (3)");
    CliRun tooMany =
        berth(
            "containerapp",
            "update",
            "-n",
            "web",
            "-g",
            "cli-app",
            "--max-replicas",
            "1001",
            "--no-wait");
    assertThat(tooMany.exit()).isEqualTo(1);
    assertThat(tooMany.err()).contains("maxReplicas").contains("1000");
  }
}
