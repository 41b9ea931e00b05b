package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.client.AccessToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The saved logins, one per Berth endpoint, so that two Berths on one machine keep theirs apart:
 *
 * <pre>
 * &lt;config dir&gt;/                 ~/.berth or $BERTH_CONFIG_DIR
 * ├── profiles/               0700
 * │   ├── 127.0.0.1_8443.json 0600  endpoint, tenant, subscription, client id and secret, token
 * │   └── 127.0.0.1_9443.json
 * └── current-profile         the endpoint of the last {@code berth login}: what commands use
 * </pre>
 *
 * Profiles hold a secret, so they are written owner-only through a temporary file and a rename. A
 * {@code profile.json} from before profiles were per endpoint is read as the current one until the
 * next login moves it. Not thread-safe across processes beyond what the rename gives (last writer
 * wins).
 */
final class ProfileStore {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path configDir;

  ProfileStore(Path configDir) {
    this.configDir = configDir;
  }

  /** Where the profile for {@code endpoint} lives. */
  Path file(URI endpoint) {
    return configDir.resolve("profiles").resolve(key(endpoint) + ".json");
  }

  /** The profile of the last login, if any. */
  Optional<Profile> current() {
    Path pointer = configDir.resolve("current-profile");
    if (Files.isRegularFile(pointer)) {
      try {
        String key = Files.readString(pointer, StandardCharsets.UTF_8).strip();
        return read(configDir.resolve("profiles").resolve(key + ".json"));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + pointer, e);
      }
    }
    return read(legacyFile());
  }

  /** The profile saved for {@code endpoint}, if any. */
  Optional<Profile> forEndpoint(URI endpoint) {
    return read(file(endpoint));
  }

  /** Every saved profile, ordered by endpoint. */
  List<Profile> all() {
    Path dir = configDir.resolve("profiles");
    List<Profile> profiles = new ArrayList<>();
    if (Files.isDirectory(dir)) {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
          read(f).ifPresent(profiles::add);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + dir, e);
      }
    }
    return profiles;
  }

  /** Saves {@code profile} under its endpoint (a refreshed token, say); the current one stays. */
  void save(Profile profile) {
    SecretFiles.writeJson(file(profile.endpoint()), toJson(profile));
  }

  /** Saves {@code profile} and makes it the one commands use: what a login does. */
  void saveAsCurrent(Profile profile) {
    save(profile);
    SecretFiles.writeAtomically(
        configDir.resolve("current-profile"),
        (key(profile.endpoint()) + "\n").getBytes(StandardCharsets.UTF_8));
    try {
      // Moved: the old single profile would otherwise come back as current after a logout.
      Files.deleteIfExists(legacyFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + legacyFile(), e);
    }
  }

  /** Removes the profile for {@code endpoint} (and the pointer to it); true when there was one. */
  boolean delete(URI endpoint) {
    try {
      boolean current = current().map(p -> key(p.endpoint()).equals(key(endpoint))).orElse(false);
      boolean deleted = Files.deleteIfExists(file(endpoint));
      if (current) {
        Files.deleteIfExists(configDir.resolve("current-profile"));
        deleted |= Files.deleteIfExists(legacyFile());
      }
      return deleted;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the profile of " + endpoint, e);
    }
  }

  /** A file name for an endpoint: its host and port, e.g. {@code 127.0.0.1_8443}. */
  static String key(URI endpoint) {
    String host = Optional.ofNullable(endpoint.getHost()).orElse("unknown");
    int port = endpoint.getPort();
    if (port < 0) {
      port = "http".equalsIgnoreCase(endpoint.getScheme()) ? 80 : 443;
    }
    return (host.replaceAll("[^A-Za-z0-9.-]", "-") + "_" + port).toLowerCase(Locale.ROOT);
  }

  private Path legacyFile() {
    return configDir.resolve("profile.json");
  }

  private static Optional<Profile> read(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      JsonNode n = JSON.readTree(file.toFile());
      Optional<AccessToken> token =
          n.hasNonNull("accessToken")
              ? Optional.of(
                  new AccessToken(
                      n.get("accessToken").asText(),
                      Instant.ofEpochSecond(n.path("expiresOn").asLong(0))))
              : Optional.empty();
      return Optional.of(
          new Profile(
              URI.create(n.path("endpoint").asText()),
              URI.create(n.path("authority").asText()),
              n.path("tenantId").asText(),
              n.path("subscriptionId").asText(),
              n.path("clientId").asText(),
              n.path("clientSecret").asText(),
              Optional.ofNullable(n.path("caFile").textValue()).map(Path::of),
              token));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static ObjectNode toJson(Profile profile) {
    ObjectNode n = JSON.createObjectNode();
    n.put("endpoint", profile.endpoint().toString());
    n.put("authority", profile.authority().toString());
    n.put("tenantId", profile.tenantId());
    n.put("subscriptionId", profile.subscriptionId());
    n.put("clientId", profile.clientId());
    n.put("clientSecret", profile.clientSecret());
    profile.caFile().ifPresent(p -> n.put("caFile", p.toString()));
    profile
        .token()
        .ifPresent(
            t -> {
              n.put("accessToken", t.token());
              n.put("expiresOn", t.expiresOn().getEpochSecond());
            });
    return n;
  }
}
