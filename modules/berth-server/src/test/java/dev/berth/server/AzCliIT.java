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
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code az} CLI (Debian's azure-cli 2.45) against Berth as a custom cloud: discovery
 * through {@code /metadata/endpoints}, an offline ADFS-mode login, and resource groups. Every
 * connection to anything but loopback goes to a closed local proxy port, so nothing leaves the
 * machine (az's version check and telemetry are also switched off).
 */
class AzCliIT {

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
            .env("AZURE_IDENTITY_DISABLE_CP1", "1")
            // Trip-wire: anything not on loopback is sent to a port where nothing listens.
            .env("HTTPS_PROXY", "http://127.0.0.1:9")
            .env("HTTP_PROXY", "http://127.0.0.1:9")
            .env("NO_PROXY", "127.0.0.1,localhost")
            .separateStderr()
            .timeout(Duration.ofMinutes(2))
            .run();
    return new Run(r.exit(), r.stdout(), r.stderr());
  }

  @BeforeAll
  static void registerCloudAndLogIn() throws Exception {
    // az's version check goes out on the first command of a fresh config dir: pre-answer it.
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
    Run set = az("cloud", "set", "-n", "Berth");
    assertThat(set.exit()).as(set.err()).isZero();
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
    assertThat(login.json().get(0).path("id").asText()).isEqualTo(b.subscriptionId());
  }

  @Test
  void cloudRegisterDiscoversBerthsEndpoints() throws Exception {
    Run show = az("cloud", "show", "-n", "Berth");
    assertThat(show.exit()).as(show.err()).isZero();
    JsonNode endpoints = show.json().path("endpoints");
    assertThat(endpoints.path("activeDirectory").asText())
        .isEqualTo(BERTH.bootstrap().authority() + "/adfs");
    assertThat(endpoints.path("resourceManager").asText())
        .isEqualTo(BERTH.bootstrap().managementEndpoint());
  }

  @Test
  void groupsAreCreatedListedAndDeleted() throws Exception {
    Run create = az("group", "create", "-n", "az-rg", "-l", "local", "--tags", "team=a");
    assertThat(create.exit()).as(create.err()).isZero();
    assertThat(create.json().path("properties").path("provisioningState").asText())
        .isEqualTo("Succeeded");

    Run list = az("group", "list", "--query", "[].name");
    assertThat(list.exit()).as(list.err()).isZero();
    assertThat(list.out()).contains("az-rg");

    Run delete = az("group", "delete", "-n", "az-rg", "--yes");
    assertThat(delete.exit()).as(delete.err()).isZero();
    Run exists = az("group", "exists", "-n", "az-rg");
    assertThat(exists.out().strip()).isEqualTo("false");
  }

  /**
   * Debian's az 2.45 crashes in every {@code az role} command before sending a request (a packaging
   * mismatch with azure-mgmt-authorization 3.0.0, Azure/azure-cli#24959), so role definitions and
   * assignments go through {@code az rest}, the documented workaround.
   */
  @Test
  void roleDefinitionsAndAssignmentsWorkThroughAzRest() throws Exception {
    BootstrapInfo b = BERTH.bootstrap();
    String scope = b.managementEndpoint() + "subscriptions/" + b.subscriptionId();
    Run roles =
        az(
            "rest",
            "--method",
            "get",
            "--url",
            scope
                + "/providers/Microsoft.Authorization/roleDefinitions?$filter=roleName eq 'acrpull'&api-version=2022-04-01");
    assertThat(roles.exit()).as(roles.err()).isZero();
    assertThat(roles.json().path("value").get(0).path("properties").path("roleName").asText())
        .isEqualTo("AcrPull");

    String principal = UUID.randomUUID().toString();
    Run put =
        az(
            "rest",
            "--method",
            "put",
            "--url",
            scope
                + "/providers/Microsoft.Authorization/roleAssignments/"
                + UUID.randomUUID()
                + "?api-version=2022-04-01",
            "--body",
            "{\"properties\":{\"roleDefinitionId\":\"/subscriptions/"
                + b.subscriptionId()
                + "/providers/Microsoft.Authorization/roleDefinitions/7f951dda-4ed3-4680-a7ca-43fe172d538d\","
                + "\"principalId\":\""
                + principal
                + "\",\"principalType\":\"ServicePrincipal\"}}");
    assertThat(put.exit()).as(put.err()).isZero();

    Run list =
        az(
            "rest",
            "--method",
            "get",
            "--url",
            scope
                + "/providers/Microsoft.Authorization/roleAssignments?$filter=principalId eq '"
                + principal
                + "'&api-version=2022-04-01");
    assertThat(list.exit()).as(list.err()).isZero();
    assertThat(list.json().path("value")).hasSize(1);
  }

  @Test
  void identityCreateMakesAUserAssignedIdentity() throws Exception {
    assertThat(az("group", "create", "-n", "id-rg", "-l", "local").exit()).isZero();
    Run created = az("identity", "create", "-g", "id-rg", "-n", "pull-id");
    assertThat(created.exit()).as(created.err()).isZero();
    assertThat(created.json().path("principalId").asText()).hasSize(36);
    assertThat(created.json().path("clientId").asText()).hasSize(36);
    assertThat(created.json().path("tenantId").asText()).isEqualTo(BERTH.bootstrap().tenantId());
    Run shown = az("identity", "show", "-g", "id-rg", "-n", "pull-id");
    assertThat(shown.json().path("principalId").asText())
        .isEqualTo(created.json().path("principalId").asText());
  }
}
