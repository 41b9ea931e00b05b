package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cli.CliHarness.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every option that takes a secret reads it from a file ({@code @FILE}) or standard input
 * ({@code @-}) too, so that it stays out of the process list.
 */
class SecretOptionsCommandTest extends SignedInTest {

  FakeContainerApp aca;
  Path file;

  @BeforeEach
  void start() throws Exception {
    aca = new FakeContainerApp(cli).serve();
    file = Files.writeString(root.resolve("db.secret"), "from-a-file\n");
  }

  @Test
  void secretSetReadsValuesFromAFileAndFromStdin() throws Exception {
    cli.stdin = "from-stdin\n";

    Result set =
        cli.run(
            "containerapp",
            "secret",
            "set",
            "-n",
            "api",
            "-g",
            "rg1",
            "--secrets",
            "db=@" + file,
            "k=@-",
            "at=@@literal");

    assertThat(set.exit()).as(set.err()).isZero();
    assertThat(aca.body("PUT", aca.id).at("/properties/configuration/secrets"))
        .isEqualTo(
            json(
                "[{\"name\":\"db\",\"value\":\"from-a-file\"},{\"name\":\"k\",\"value\":\"from-stdin\"},"
                    + "{\"name\":\"at\",\"value\":\"@literal\"}]"));
    assertThat(set.out()).doesNotContain("from-a-file").doesNotContain("from-stdin");
  }

  @Test
  void twoValuesFromStdinAreRefusedBeforeAnythingIsSent() {
    cli.stdin = "x";

    Result set =
        cli.run(
            "containerapp", "secret", "set", "-n", "api", "-g", "rg1", "--secrets", "a=@-", "b=@-");

    assertThat(set.exit()).isEqualTo(1);
    assertThat(set.err()).contains("Only one value can come from standard input");
    assertThat(cli.berth.requests("PUT", aca.id)).isEmpty();
  }

  @Test
  void registrySetReadsThePasswordFromStdin() throws Exception {
    cli.stdin = "pw-from-stdin\n";

    Result result =
        cli.run(
            "containerapp",
            "registry",
            "set",
            "-n",
            "api",
            "-g",
            "rg1",
            "--server",
            "localhost:5001",
            "--username",
            "ci",
            "--password",
            "@-");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(aca.body("PUT", aca.id).at("/properties/configuration/secrets/1"))
        .isEqualTo(json("{\"name\":\"localhost5001-ci\",\"value\":\"pw-from-stdin\"}"));
  }

  @Test
  void createReadsTheRegistryPasswordAndSecretsFromAFileAndStdin() throws Exception {
    cli.stdin = "registry-pw";

    Result result =
        cli.run(
            "containerapp",
            "create",
            "-n",
            "api",
            "-g",
            "rg1",
            "--environment",
            "env1",
            "--image",
            "localhost:5001/api:1",
            "--registry-server",
            "localhost:5001",
            "--registry-username",
            "admin",
            "--registry-password",
            "@-",
            "--secrets",
            "db=@" + file);

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(aca.body("PUT", aca.id).at("/properties/configuration/secrets"))
        .isEqualTo(
            json(
                "[{\"name\":\"db\",\"value\":\"from-a-file\"},"
                    + "{\"name\":\"localhost5001-admin\",\"value\":\"registry-pw\"}]"));
  }

  @Test
  void aMissingFileIsAClearError() {
    Result set =
        cli.run(
            "containerapp",
            "secret",
            "set",
            "-n",
            "api",
            "-g",
            "rg1",
            "--secrets",
            "db=@" + root.resolve("nope"));

    assertThat(set.exit()).isEqualTo(1);
    assertThat(set.err())
        .startsWith("ERROR: Cannot read secret 'db' from")
        .contains("no such file");
  }
}
