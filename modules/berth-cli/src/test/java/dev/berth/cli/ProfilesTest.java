package dev.berth.cli;

import static dev.berth.cli.CliHarness.CLIENT_ID;
import static dev.berth.cli.CliHarness.SECRET;
import static dev.berth.cli.CliHarness.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.cli.CliHarness.Result;
import dev.berth.client.FakeBerth;
import dev.berth.client.FakeBerth.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Berths on one machine, each with its data directory: logging in to one keeps the other's
 * login, and commands go to the last one logged in to, or to the one {@code BERTH_DATA_DIR} or
 * {@code BERTH_ENDPOINT} names.
 */
class ProfilesTest {

  @TempDir Path root;
  CliHarness cli;
  FakeBerth other;
  Path otherData;

  @BeforeEach
  void start() {
    cli = new CliHarness(root);
    other = FakeBerth.start();
    other.tokenEndpoint(TENANT, CLIENT_ID, SECRET, 3600);
    otherData = root.resolve("other-data");
    cli.writeBootstrap();
    CliHarness.writeBootstrap(other, otherData);
    for (FakeBerth b : new FakeBerth[] {cli.berth, other}) {
      b.on(
          "GET",
          cli.subscriptionPath() + "/resourcegroups/rg",
          r -> Response.json(200, "{\"name\":\"rg\"}"));
    }
    // No data directory in the environment unless a test sets one.
    cli.variables.put("BERTH_DATA_DIR", "");
  }

  @AfterEach
  void stop() {
    cli.close();
    other.close();
  }

  @Test
  void loggingInToASecondBerthKeepsTheFirstOnesLogin() throws Exception {
    assertThat(login(cli.dataDir).exit()).isZero();
    JsonNode first = new ObjectMapper().readTree(cli.profileFile().toFile());

    assertThat(login(otherData).exit()).isZero();

    Path otherProfile = new ProfileStore(cli.configDir).file(other.endpoint());
    assertThat(new ObjectMapper().readTree(cli.profileFile().toFile())).isEqualTo(first);
    assertThat(new ObjectMapper().readTree(otherProfile.toFile()).path("endpoint").asText())
        .isEqualTo(other.endpoint().toString());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(otherProfile)))
        .isEqualTo("rw-------");
    Result list = cli.run("account", "list");
    assertThat(list.json()).hasSize(2);
    assertThat(list.json().findValuesAsText("managementEndpoint"))
        .containsExactlyInAnyOrder(cli.berth.endpoint().toString(), other.endpoint().toString());
  }

  @Test
  void commandsGoToTheBerthLoggedInToLast() {
    login(cli.dataDir);
    login(otherData);

    assertThat(cli.run("group", "show", "-n", "rg").exit()).isZero();

    assertThat(other.requests("GET", cli.subscriptionPath() + "/resourcegroups/rg")).hasSize(1);
    assertThat(cli.berth.requests("GET", cli.subscriptionPath() + "/resourcegroups/rg")).isEmpty();
  }

  @Test
  void berthDataDirPicksThatBerthsLogin() {
    login(cli.dataDir);
    login(otherData);
    cli.variables.put("BERTH_DATA_DIR", cli.dataDir.toString());

    assertThat(cli.run("group", "show", "-n", "rg").exit()).isZero();

    assertThat(cli.berth.requests("GET", cli.subscriptionPath() + "/resourcegroups/rg")).hasSize(1);
    assertThat(other.requests("GET", cli.subscriptionPath() + "/resourcegroups/rg")).isEmpty();
  }

  @Test
  void berthEndpointPicksThatLoginOrSaysThereIsNone() {
    login(cli.dataDir);
    login(otherData);
    cli.variables.put("BERTH_ENDPOINT", cli.berth.endpoint().toString());
    assertThat(cli.run("group", "show", "-n", "rg").exit()).isZero();
    assertThat(cli.berth.requests("GET", cli.subscriptionPath() + "/resourcegroups/rg")).hasSize(1);

    cli.variables.put("BERTH_ENDPOINT", "https://127.0.0.1:1/");
    Result none = cli.run("group", "show", "-n", "rg");
    assertThat(none.exit()).isEqualTo(1);
    assertThat(none.err())
        .isEqualTo(
            "ERROR: Please run 'berth login' for https://127.0.0.1:1/ ($BERTH_ENDPOINT) to set up"
                + " an account.\n");
  }

  @Test
  void logoutForgetsOnlyTheBerthInUse() {
    login(cli.dataDir);
    login(otherData);

    assertThat(cli.run("logout").exit()).isZero();

    assertThat(new ProfileStore(cli.configDir).file(other.endpoint())).doesNotExist();
    assertThat(cli.profileFile()).exists();
    // With no last login left, a command asks for one; the first Berth's is still there by name.
    assertThat(cli.run("group", "list").err()).contains("Please run 'berth login'");
    cli.variables.put("BERTH_DATA_DIR", cli.dataDir.toString());
    assertThat(cli.run("group", "show", "-n", "rg").exit()).isZero();
  }

  @Test
  void aProfileFromBeforeIsUsedUntilTheNextLoginMovesIt() throws Exception {
    login(cli.dataDir);
    Path legacy = cli.configDir.resolve("profile.json");
    Files.move(cli.profileFile(), legacy);
    Files.delete(cli.configDir.resolve("current-profile"));

    assertThat(cli.run("group", "show", "-n", "rg").exit()).isZero();

    login(otherData);
    assertThat(legacy).doesNotExist();
  }

  private Result login(Path dataDir) {
    Result result = cli.run("login", "--data-dir", dataDir.toString());
    assertThat(result.exit()).as(result.err()).isZero();
    return result;
  }
}
