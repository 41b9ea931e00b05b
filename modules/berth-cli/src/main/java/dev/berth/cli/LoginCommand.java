package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.client.AccessToken;
import dev.berth.client.ArmClient;
import dev.berth.client.Tls;
import dev.berth.client.TokenClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code berth login}: signs in as a service principal (from the data directory's {@code
 * bootstrap.json}, or from options), picks the default subscription and saves the profile for that
 * endpoint, which later commands then use (profiles of other endpoints stay).
 */
@Command(
    name = "login",
    mixinStandardHelpOptions = true,
    description = "Log in to Berth with a service principal (default: the bootstrap Owner).")
final class LoginCommand extends BerthCommand {

  static final String DEFAULT_ENDPOINT = "https://127.0.0.1:8443/";

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Berth's data directory.")
  Path dataDir;

  @Option(names = "--service-principal", description = "Log in with the credentials given.")
  boolean servicePrincipal;

  @Option(
      names = {"-u", "--username"},
      paramLabel = "CLIENT_ID",
      description = "Service principal application (client) id.")
  String clientId;

  @Option(
      names = {"-p", "--password"},
      paramLabel = "SECRET",
      description = "Service principal client secret; @FILE or @- reads it from a file or stdin.")
  String clientSecret;

  @Option(
      names = {"-t", "--tenant"},
      paramLabel = "TENANT",
      description = "Tenant id.")
  String tenant;

  @Option(names = "--endpoint", paramLabel = "URL", description = "Management endpoint.")
  String endpoint;

  @Option(
      names = "--authority",
      paramLabel = "URL",
      description = "Token authority (default: the endpoint).")
  String authority;

  @Option(names = "--ca-file", paramLabel = "PEM", description = "CA certificate(s) to trust.")
  Path caFile;

  LoginCommand(CliEnvironment env) {
    super(env);
  }

  @Override
  int run() {
    Profile profile = servicePrincipal ? fromOptions() : fromBootstrap();
    HttpClient http = Tls.httpClient(profile.caFile());
    AccessToken token =
        TokenClient.create(http, env.clock(), debug())
            .clientCredentials(
                profile.authority(),
                profile.tenantId(),
                profile.clientId(),
                profile.clientSecret(),
                TokenClient.managementScope(profile.endpoint()));
    profile = profile.withToken(token);
    if (profile.subscriptionId().isEmpty()) {
      String bearer = token.token();
      ArmClient arm =
          ArmClient.create(http, profile.endpoint(), () -> bearer, debug(), env.sleeper());
      profile = profile.withSubscription(firstEnabled(arm));
    }
    profiles().saveAsCurrent(profile);
    print(AccountCommand.describe(profile), AccountCommand.COLUMNS);
    return 0;
  }

  private static String firstEnabled(ArmClient arm) {
    for (JsonNode sub : arm.list("/subscriptions?api-version=2022-12-01")) {
      if ("Enabled".equalsIgnoreCase(sub.path("state").asText())) {
        return sub.path("subscriptionId").asText();
      }
    }
    throw new CliFailure("No enabled subscription found for this account.");
  }

  private Profile fromOptions() {
    if (clientId == null || clientSecret == null || tenant == null) {
      throw new CliFailure(
          "--service-principal needs --username CLIENT_ID, --password SECRET and --tenant TENANT.");
    }
    URI management = URI.create(Optional.ofNullable(endpoint).orElse(DEFAULT_ENDPOINT));
    return new Profile(
        management,
        authorityOr(authority, management),
        tenant,
        global.subscription().orElse(""),
        clientId,
        new SecretArguments(env.stdin()).resolve(clientSecret, "--password"),
        Optional.ofNullable(caFile).map(Path::toAbsolutePath),
        Optional.empty());
  }

  private Profile fromBootstrap() {
    Path dir = Optional.ofNullable(dataDir).orElse(env.dataDir());
    Path file = dir.resolve("bootstrap.json");
    if (!Files.isRegularFile(file)) {
      throw new CliFailure(
          "No "
              + file
              + " found. Start Berth with `berth up`, or log in with `berth login"
              + " --service-principal -u CLIENT_ID -p SECRET --tenant TENANT`.");
    }
    JsonNode b;
    try {
      b = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    URI management =
        URI.create(
            Optional.ofNullable(endpoint)
                .orElse(b.path("managementEndpoint").asText(DEFAULT_ENDPOINT)));
    String fromFile = b.path("authority").asText("");
    Optional<Path> ca =
        Optional.ofNullable(caFile)
            .or(() -> Optional.ofNullable(b.path("caFile").textValue()).map(Path::of))
            // a relative caFile is relative to the data directory that holds bootstrap.json
            .map(p -> dir.resolve(p).toAbsolutePath());
    return new Profile(
        management,
        authorityOr(authority != null ? authority : fromFile, management),
        Optional.ofNullable(tenant).orElse(b.path("tenantId").asText()),
        global.subscription().orElse(b.path("subscriptionId").asText("")),
        required(b, "clientId", file),
        required(b, "clientSecret", file),
        ca,
        Optional.empty());
  }

  /** The management endpoint in {@code dataDir}'s {@code bootstrap.json}, if it is readable. */
  static Optional<URI> bootstrapEndpoint(Path dataDir) {
    Path file = dataDir.resolve("bootstrap.json");
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      String endpoint = JSON.readTree(file.toFile()).path("managementEndpoint").asText("");
      return endpoint.isEmpty() ? Optional.empty() : Optional.of(URI.create(endpoint));
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static String required(JsonNode b, String field, Path file) {
    String value = b.path(field).asText("");
    if (value.isEmpty()) {
      throw new CliFailure(file + " has no " + field + ".");
    }
    return value;
  }

  private static URI authorityOr(String authority, URI management) {
    if (authority == null || authority.isBlank()) {
      return URI.create(management.toString().replaceAll("/+$", ""));
    }
    return URI.create(authority);
  }
}
