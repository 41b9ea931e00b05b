package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.cli.client.AccessToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * Reads and writes {@code profile.json} in the config directory. The file holds a secret, so it is
 * written owner-only (0600) through a temporary file and an atomic rename. Not thread-safe across
 * processes beyond what the rename gives (last writer wins).
 */
final class ProfileStore {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;

  ProfileStore(Path configDir) {
    this.file = configDir.resolve("profile.json");
  }

  Path file() {
    return file;
  }

  Optional<Profile> load() {
    if (!Files.exists(file)) {
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

  void save(Profile profile) {
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
    PrivateFiles.writeJson(file, n);
  }

  /** Removes the profile; true when there was one. */
  boolean delete() {
    try {
      return Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + file, e);
    }
  }
}
