package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.azcli.AzCloudSetup;
import dev.berth.client.Tls;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code berth az-setup}: prints the shell commands that set Debian's {@code az} up for this Berth
 * (CA bundle, no telemetry, the cloud with every endpoint and suffix, the bootstrap Owner's login),
 * or with {@code --run} runs the az commands itself. The endpoints come from the data directory's
 * {@code bootstrap.json} and the running Berth's {@code /metadata/endpoints}; the secret is read
 * from the file at login time and never printed.
 */
@Command(
    name = "az-setup",
    mixinStandardHelpOptions = true,
    description = "Print (or --run) the set-up of az for this Berth: eval \"$(berth az-setup)\".")
final class AzSetupCommand extends BerthCommand {

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Berth's data directory.")
  Path dataDir;

  @Option(names = "--run", description = "Run the az commands now (az must be on the PATH).")
  boolean runAz;

  @Option(names = "--cloud-name", paramLabel = "NAME", defaultValue = "Berth")
  String cloudName;

  AzSetupCommand(CliEnvironment env) {
    super(env);
  }

  @Override
  int run() {
    AzCloudSetup setup = setup();
    if (!runAz) {
      out().print(setup.script());
      out().flush();
      return 0;
    }
    String secret = bootstrap(setup.bootstrapFile()).path("clientSecret").asText();
    List<List<String>> commands = setup.commands();
    // A cloud already registered under that name is updated instead.
    boolean known = az(setup, List.of("az", "cloud", "show", "-n", cloudName), null, true) == 0;
    List<String> cloud =
        known
            ? List.of(
                "az", "cloud", "update", "-n", cloudName, "--cloud-config", setup.cloudConfig())
            : commands.get(0);
    if (az(setup, cloud, null, false) != 0) {
      throw new CliFailure(String.join(" ", cloud.subList(0, 3)) + " failed (see above).");
    }
    for (List<String> command : commands.subList(1, commands.size())) {
      boolean login = command.contains("login");
      if (az(setup, command, login ? secret : null, false) != 0) {
        throw new CliFailure(String.join(" ", command.subList(0, 3)) + " failed (see above).");
      }
    }
    out().println("# az is set up. In each shell that runs az:");
    setup.environment().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> out().println("export " + e.getKey() + "=" + e.getValue()));
    out().flush();
    return 0;
  }

  private AzCloudSetup setup() {
    Path dir = Optional.ofNullable(dataDir).orElse(env.dataDir()).toAbsolutePath();
    Path file = dir.resolve("bootstrap.json");
    JsonNode b = bootstrap(file);
    String management = b.path("managementEndpoint").asText(LoginCommand.DEFAULT_ENDPOINT);
    String authority = b.path("authority").asText(management).replaceAll("/+$", "");
    Path ca = dir.resolve(b.path("caFile").asText("ca.pem")).toAbsolutePath();
    JsonNode cloud = metadata(management, ca);
    return new AzCloudSetup(
        cloudName,
        management,
        authority,
        cloud.path("graph").asText(management),
        cloud.at("/suffixes/acrLoginServer").asText(),
        b.path("tenantId").asText(),
        b.path("clientId").asText(),
        file,
        ca);
  }

  private static JsonNode bootstrap(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new CliFailure("No " + file + " found. Start Berth with `berth up` first.");
    }
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** The cloud Berth describes (the ACR suffix and Graph's address are its own to say). */
  private static JsonNode metadata(String management, Path ca) {
    URI uri =
        URI.create(management.replaceAll("/+$", "") + "/metadata/endpoints?api-version=2022-09-01");
    try {
      HttpClient http = Tls.httpClient(Optional.of(ca));
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode clouds = JSON.readTree(r.body());
      if (r.statusCode() != 200 || !clouds.path(0).isObject()) {
        throw new CliFailure(uri + " answered " + r.statusCode() + ".");
      }
      return clouds.path(0);
    } catch (IOException e) {
      throw new CliFailure("Berth does not answer at " + management + " (" + e.getMessage() + ").");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliFailure("interrupted");
    }
  }

  /**
   * Runs one az command with the set-up's environment, its output passed through (or discarded when
   * {@code quiet}).
   */
  private int az(AzCloudSetup setup, List<String> command, String stdin, boolean quiet) {
    ProcessBuilder.Redirect out =
        quiet ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.INHERIT;
    ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out).redirectError(out);
    pb.environment().putAll(setup.environment());
    env.variable("AZURE_CONFIG_DIR").ifPresent(d -> pb.environment().put("AZURE_CONFIG_DIR", d));
    try {
      Process p = pb.start();
      try (OutputStream in = p.getOutputStream()) {
        if (stdin != null) {
          in.write((stdin + "\n").getBytes(StandardCharsets.UTF_8));
        }
      }
      return p.waitFor();
    } catch (IOException e) {
      throw new CliFailure("cannot run az: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliFailure("interrupted");
    }
  }
}
