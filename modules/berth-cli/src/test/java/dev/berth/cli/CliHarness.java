package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.client.FakeBerth;
import dev.berth.testing.TestCa;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine;

/**
 * Runs berth commands in-process against a {@link FakeBerth}, with their own home, config and data
 * directories and a settable clock. Not thread-safe (one per test).
 */
final class CliHarness implements AutoCloseable {

  static final String TENANT = "t-1111";
  static final String SUBSCRIPTION = "00000000-0000-0000-0000-0000000000aa";
  static final String CLIENT_ID = "app-owner";
  static final String SECRET = "s3cret-value";

  /** What a command printed and returned. */
  record Result(int exit, String out, String err) {
    JsonNode json() {
      try {
        return new ObjectMapper().readTree(out);
      } catch (IOException e) {
        throw new UncheckedIOException(out, e);
      }
    }
  }

  final FakeBerth berth = FakeBerth.start();
  final Path home;
  final Path configDir;
  final Path dataDir;
  Instant now = Instant.parse("2026-01-01T00:00:00Z");

  /** Extra environment variables for the commands. */
  final Map<String, String> variables = new HashMap<>();

  /** What the commands read as standard input. */
  String stdin = "";

  CliHarness(Path root) {
    this.home = root.resolve("home");
    this.configDir = root.resolve("config");
    this.dataDir = root.resolve("data");
    try {
      Files.createDirectories(home);
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    berth.tokenEndpoint(TENANT, CLIENT_ID, SECRET, 3600);
  }

  CliEnvironment environment() {
    Map<String, String> all = new HashMap<>();
    all.put("BERTH_CONFIG_DIR", configDir.toString());
    all.put("BERTH_DATA_DIR", dataDir.toString());
    // A test's own value wins; an empty one unsets the variable.
    all.putAll(variables);
    return CliEnvironment.of(all, home, Clock.fixed(now, ZoneOffset.UTC))
        .withStdin(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
  }

  Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = BerthCli.commandLine(environment());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  /** Writes the bootstrap.json that {@code berth up} leaves in the data directory. */
  void writeBootstrap() {
    writeBootstrap(berth, dataDir);
  }

  /** Writes the bootstrap.json of {@code other}, another Berth, into {@code dir}. */
  static void writeBootstrap(FakeBerth other, Path dir) {
    String json =
        """
        {"tenantId":"%s","subscriptionId":"%s","clientId":"%s","clientSecret":"%s",
         "managementEndpoint":"%s","authority":"%s","caFile":"%s"}
        """
            .formatted(
                TENANT,
                SUBSCRIPTION,
                CLIENT_ID,
                SECRET,
                other.endpoint(),
                other.endpoint().toString().replaceAll("/$", ""),
                TestCa.get().caPem());
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("bootstrap.json"), json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Logs in from bootstrap.json and checks it worked. */
  void login() {
    writeBootstrap();
    Result result = run("login");
    assertThat(result.exit()).as(result.err()).isZero();
  }

  /** Where the profile of {@link #berth} is saved. */
  Path profileFile() {
    return new ProfileStore(configDir).file(berth.endpoint());
  }

  String subscriptionPath() {
    return "/subscriptions/" + SUBSCRIPTION;
  }

  @Override
  public void close() {
    berth.close();
  }
}
