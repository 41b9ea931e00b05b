package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.BerthCli;
import dev.berth.cli.CliEnvironment;
import dev.berth.registry.testing.OciLayouts;
import dev.berth.testing.Exec;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Debian's {@code az} (2.45) set up by what {@code berth az-setup} prints and nothing else, then
 * the core commands of the seed's story against a real Berth: login, group, identity, {@code acr
 * create|update}, {@code acr config authentication-as-arm show|update}, {@code acr network-rule
 * add|list|remove}, {@code acr repository list|show-tags}, {@code acr import}. Each must exit 0.
 * Anything not on loopback goes to a closed local proxy port, so nothing leaves the machine.
 */
class AzAcrIT {

  @RegisterExtension static final RunningBerth BERTH = new RunningBerth();

  @TempDir static Path azConfig;
  @TempDir static Path home;

  /** The {@code export} lines of the set-up script: every later az runs with them only. */
  static final Map<String, String> SETUP_ENV = new LinkedHashMap<>();

  static String setupScript;

  record Run(int exit, String out, String err) {
    JsonNode json() throws IOException {
      return Https.JSON.readTree(out);
    }
  }

  static Exec base(List<String> command) {
    Exec e =
        Exec.of(command)
            .env("AZURE_CONFIG_DIR", azConfig.toString())
            .env("AZURE_CORE_NO_COLOR", "true")
            // Trip-wire: anything not on loopback is sent to a port where nothing listens.
            .env("HTTPS_PROXY", "http://127.0.0.1:9")
            .env("HTTP_PROXY", "http://127.0.0.1:9")
            .env("NO_PROXY", "127.0.0.1,localhost")
            .separateStderr()
            .timeout(Duration.ofMinutes(2));
    SETUP_ENV.forEach(e::env);
    return e;
  }

  static Run az(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("az"));
    command.addAll(List.of(args));
    Exec.Result r = base(command).run();
    return new Run(r.exit(), r.stdout(), r.stderr());
  }

  static Run ok(String... args) throws Exception {
    Run r = az(args);
    assertThat(r.exit()).as("az " + String.join(" ", args) + "\n" + r.err()).isZero();
    return r;
  }

  @BeforeAll
  static void setUpAzFromBerthsOwnScript() throws Exception {
    Preconditions.requireRootAndTools("az", "skopeo", "bash");
    // az's version check goes out on the first command of a fresh config dir: pre-answer it.
    Files.writeString(
        azConfig.resolve("versionCheck.json"),
        "{\"versions\": {\"azure-cli\": {\"local\": \"2.45.0\"}, \"core\": {\"local\": \"2.45.0\"},"
            + " \"telemetry\": {\"local\": \"1.0.8\"}}, \"update_time\": \"2030-01-01 00:00:00.000000\"}");
    CliEnvironment env =
        CliEnvironment.of(
            Map.of("BERTH_DATA_DIR", BERTH.dataDir().toString()), home, Clock.systemUTC());
    CommandLine cli = BerthCli.commandLine(env);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    assertThat(cli.execute("az-setup")).as(err.toString()).isZero();
    setupScript = out.toString();
    assertThat(setupScript)
        .as("the secret is read from the file at login, never printed")
        .doesNotContain(BERTH.bootstrap().clientSecret());
    Exec.Result ran = base(List.of("bash", "-euo", "pipefail", "-c", setupScript)).run();
    assertThat(ran.exit()).as(setupScript + "\n" + ran.stderr()).isZero();
    for (String line : setupScript.lines().toList()) {
      if (line.startsWith("export ")) {
        String[] kv = line.substring(7).split("=", 2);
        SETUP_ENV.put(kv[0], kv[1].replaceAll("^'|'$", ""));
      }
    }
    assertThat(SETUP_ENV).containsKeys("REQUESTS_CA_BUNDLE", "AZURE_CORE_COLLECT_TELEMETRY");
  }

  @Test
  void theCloudHasEveryEndpointAndTheAcrSuffix() throws Exception {
    JsonNode cloud = ok("cloud", "show", "-n", "Berth").json();
    assertThat(cloud.path("isActive").asBoolean()).isTrue();
    assertThat(cloud.at("/suffixes/acrLoginServerEndpoint").asText())
        .isEqualTo(RegistryListeners.AZURECR_LOCALHOST);
    assertThat(cloud.at("/endpoints/activeDirectory").asText())
        .isEqualTo(BERTH.bootstrap().authority() + "/adfs");
    assertThat(cloud.at("/endpoints/microsoftGraphResourceId").asText()).isNotBlank();
    JsonNode account = ok("account", "show").json();
    assertThat(account.path("id").asText()).isEqualTo(BERTH.bootstrap().subscriptionId());
  }

  @Test
  void theBannerOfBerthUpPrintsTheSameSetUp() {
    String banner = BERTH.server().banner(0);
    for (String line : setupScript.strip().lines().toList()) {
      assertThat(banner).contains("  " + line + "\n");
    }
  }

  @Test
  void theAcrCommandsOfTheSeedsStoryExitZero() throws Exception {
    ok("group", "create", "-n", "acr-rg", "-l", "local");
    assertThat(
            ok("identity", "create", "-g", "acr-rg", "-n", "pull-id")
                .json()
                .path("principalId")
                .asText())
        .hasSize(36);
    ok("acr", "create", "-n", "azacrone", "-g", "acr-rg", "--sku", "Premium", "-l", "local");

    JsonNode updated = ok("acr", "update", "-n", "azacrone", "--admin-enabled", "true").json();
    assertThat(updated.path("adminUserEnabled").asBoolean()).isTrue();

    assertThat(
            ok("acr", "config", "authentication-as-arm", "show", "-r", "azacrone")
                .json()
                .path("status")
                .asText())
        .isEqualTo("enabled");
    JsonNode off =
        ok(
                "acr",
                "config",
                "authentication-as-arm",
                "update",
                "-r",
                "azacrone",
                "--status",
                "disabled")
            .json();
    assertThat(off.path("status").asText()).isEqualTo("disabled");
    assertThat(
            ok("acr", "config", "authentication-as-arm", "show", "-r", "azacrone")
                .json()
                .path("status")
                .asText())
        .isEqualTo("disabled");
    // The seed's own fix.
    JsonNode on =
        ok(
                "acr",
                "config",
                "authentication-as-arm",
                "update",
                "-r",
                "azacrone",
                "--status",
                "enabled")
            .json();
    assertThat(on.path("status").asText()).isEqualTo("enabled");

    ok("acr", "network-rule", "add", "-n", "azacrone", "--ip-address", "10.1.2.0/24");
    JsonNode rules = ok("acr", "network-rule", "list", "-n", "azacrone").json();
    assertThat(rules.toString()).contains("10.1.2.0/24");
    ok("acr", "network-rule", "remove", "-n", "azacrone", "--ip-address", "10.1.2.0/24");
    assertThat(ok("acr", "network-rule", "list", "-n", "azacrone").out())
        .doesNotContain("10.1.2.0/24");

    // An image pushed with skopeo, then listed through the registry's ACR endpoints by az.
    RegistryFixture fx = new RegistryFixture(BERTH);
    String id = fx.group("acr-rg") + "/providers/Microsoft.ContainerRegistry/registries/azacrone";
    String server = fx.loginServer(id);
    Path layout = Files.createTempDirectory(BERTH.dataDir(), "image");
    OciLayouts.busybox(layout, "v1", List.of(), List.of("true"));
    var pushed = fx.push(layout, server, "azacrone:" + fx.adminPassword(id), "api:1");
    assertThat(pushed.exit()).as(pushed.output()).isZero();
    assertThat(ok("acr", "repository", "list", "-n", "azacrone").json().toString()).contains("api");
    assertThat(
            ok("acr", "repository", "show-tags", "-n", "azacrone", "--repository", "api")
                .json()
                .toString())
        .contains("1");

    // az acr import from that registry, with its admin login: the registry copies it itself.
    ok("acr", "create", "-n", "azacrtwo", "-g", "acr-rg", "--sku", "Premium", "-l", "local");
    ok(
        "acr",
        "import",
        "-n",
        "azacrtwo",
        "--source",
        server + "/api:1",
        "--image",
        "api:imported",
        "-u",
        "azacrone",
        "-p",
        fx.adminPassword(id),
        // az 2.45 itself may fail after polling a long-running command (its own circular import
        // of requests.auth, not Berth's answer): the import is awaited through the tags instead.
        "--no-wait");
    awaitTag("azacrtwo", "api", "imported");

    // Without a login, az finds the source among the subscription's registries and sends its
    // resource id: Berth copies in place, once ARM has checked the caller may pull from it.
    ok(
        "acr",
        "import",
        "-n",
        "azacrtwo",
        "--source",
        server + "/api:1",
        "--image",
        "api:byid",
        "--no-wait");
    awaitTag("azacrtwo", "api", "byid");
  }

  /** az 2.45's import is awaited through the target's tags (see above). */
  private static void awaitTag(String registry, String repository, String tag) {
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(
                        ok(
                                "acr",
                                "repository",
                                "show-tags",
                                "-n",
                                registry,
                                "--repository",
                                repository)
                            .json()
                            .toString())
                    .contains(tag));
  }
}
