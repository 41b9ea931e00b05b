package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.testing.Exec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code az monitor log-analytics workspace} commands (Debian's azure-cli 2.45, its own
 * generated client at 2021-12-01-preview and 2020-08-01) against Berth's minimal {@code
 * Microsoft.OperationalInsights}: create, show, get-shared-keys, list, delete, as a user would run
 * them to fill {@code az containerapp env create --logs-workspace-id/--logs-workspace-key}. Set up
 * as {@code AzCliIT} is (offline, a trip-wire proxy for anything not on loopback).
 */
class AzLogAnalyticsCliIT {

  @RegisterExtension static final RunningBerth BERTH = new RunningBerth();

  @TempDir static Path azConfig;

  record Run(int exit, String out, String err) {
    JsonNode json() throws IOException {
      return Https.JSON.readTree(out);
    }
  }

  static Run az(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("az"));
    command.addAll(List.of(args));
    Exec.Result r =
        Exec.of(command)
            .env("AZURE_CONFIG_DIR", azConfig.toString())
            .env("REQUESTS_CA_BUNDLE", BERTH.caFile().toString())
            .env("AZURE_CORE_COLLECT_TELEMETRY", "false")
            .env("AZURE_CORE_ERROR_RECOMMENDATION", "off")
            .env("AZURE_EXTENSION_USE_DYNAMIC_INSTALL", "no")
            .env("AZURE_CORE_SURVEY_MESSAGE", "false")
            .env("AZURE_CORE_NO_COLOR", "true")
            .env("HTTPS_PROXY", "http://127.0.0.1:9")
            .env("HTTP_PROXY", "http://127.0.0.1:9")
            .env("NO_PROXY", "127.0.0.1,localhost")
            .separateStderr()
            .timeout(Duration.ofMinutes(2))
            .run();
    return new Run(r.exit(), r.stdout(), r.stderr());
  }

  @BeforeAll
  static void logIn() throws Exception {
    Files.writeString(
        azConfig.resolve("versionCheck.json"),
        "{\"versions\": {\"azure-cli\": {\"local\": \"2.45.0\"}, \"core\": {\"local\": \"2.45.0\"},"
            + " \"telemetry\": {\"local\": \"1.0.8\"}}, \"update_time\": \"2030-01-01 00:00:00.000000\"}");
    BootstrapInfo b = BERTH.bootstrap();
    Run register =
        az(
            "cloud",
            "register",
            "-n",
            "Berth",
            "--endpoint-resource-manager",
            b.managementEndpoint());
    assertThat(register.exit()).as(register.err()).isZero();
    assertThat(az("cloud", "set", "-n", "Berth").exit()).isZero();
    Run login =
        az(
            "login",
            "--service-principal",
            "-u",
            b.clientId(),
            "-p",
            b.clientSecret(),
            "--tenant",
            b.tenantId());
    assertThat(login.exit()).as(login.err()).isZero();
  }

  @Test
  void workspaceCreateShowKeysListAndDelete() throws Exception {
    assertThat(az("group", "create", "-n", "la-rg", "-l", "local").exit()).isZero();

    // --no-wait: Debian's az 2.45 crashes in its own poller check after an LRO command ("cannot
    // import name '_basic_auth_str' from partially initialized module 'requests.auth'", in
    // azure.cli.core.util.poller_classes), whatever the server answered. Berth's PUT is
    // synchronous, so the workspace is there when the command returns.
    Run created =
        az(
            "monitor",
            "log-analytics",
            "workspace",
            "create",
            "-g",
            "la-rg",
            "-n",
            "ws-one",
            "-l",
            "local",
            "--no-wait");
    assertThat(created.exit()).as(created.err()).isZero();

    Run shown = az("monitor", "log-analytics", "workspace", "show", "-g", "la-rg", "-n", "ws-one");
    assertThat(shown.exit()).as(shown.err()).isZero();
    String customerId = shown.json().path("customerId").asText();
    assertThat(customerId).matches("[0-9a-f-]{36}");
    assertThat(shown.json().path("provisioningState").asText()).isEqualTo("Succeeded");
    assertThat(shown.json().path("sku").path("name").asText()).isEqualToIgnoringCase("PerGB2018");

    Run keys =
        az(
            "monitor",
            "log-analytics",
            "workspace",
            "get-shared-keys",
            "-g",
            "la-rg",
            "-n",
            "ws-one");
    assertThat(keys.exit()).as(keys.err()).isZero();
    String primary = keys.json().path("primarySharedKey").asText();
    assertThat(primary).hasSizeGreaterThan(80);
    assertThat(keys.json().path("secondarySharedKey").asText()).isNotEqualTo(primary);
    assertThat(shown.out()).doesNotContain(primary);

    Run list = az("monitor", "log-analytics", "workspace", "list", "-g", "la-rg");
    assertThat(list.exit()).as(list.err()).isZero();
    assertThat(list.json().findValuesAsText("customerId")).containsExactly(customerId);

    Run deleted =
        az(
            "monitor",
            "log-analytics",
            "workspace",
            "delete",
            "-g",
            "la-rg",
            "-n",
            "ws-one",
            "--yes",
            "--no-wait");
    assertThat(deleted.exit()).as(deleted.err()).isZero();
    assertThat(
            az("monitor", "log-analytics", "workspace", "show", "-g", "la-rg", "-n", "ws-one")
                .exit())
        .isNotZero();
  }
}
