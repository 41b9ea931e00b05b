package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * The docker-style credentials file that podman, skopeo and buildah read ({@code
 * $REGISTRY_AUTH_FILE}, else {@code ~/.config/containers/auth.json}): {@code
 * {"auths":{"<server>":{"auth":"base64(user:password)","identitytoken":"…"}}}}. Other entries are
 * kept; the file is written owner-only (0600) through a temporary file and a rename. Not
 * thread-safe across processes beyond what the rename gives.
 *
 * @see <a
 *     href="https://github.com/containers/image/blob/main/docs/containers-auth.json.5.md">containers-auth.json(5)</a>
 */
final class AuthFile {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;

  private AuthFile(Path file) {
    this.file = file;
  }

  static AuthFile of(CliEnvironment env) {
    return new AuthFile(
        env.variable("REGISTRY_AUTH_FILE")
            .map(Path::of)
            .orElse(env.userHome().resolve(".config/containers/auth.json")));
  }

  Path path() {
    return file;
  }

  /**
   * Stores an ACR refresh token for {@code server}: as the password of the null-GUID user, and as
   * the identity token, which containers/image trades at {@code /oauth2/token} directly.
   */
  void storeRefreshToken(String server, String username, String refreshToken) {
    ObjectNode root = read();
    JsonNode auths = root.path("auths");
    ObjectNode entries = auths.isObject() ? (ObjectNode) auths : root.putObject("auths");
    ObjectNode entry = entries.putObject(server);
    entry.put(
        "auth",
        Base64.getEncoder()
            .encodeToString((username + ":" + refreshToken).getBytes(StandardCharsets.UTF_8)));
    entry.put("identitytoken", refreshToken);
    SecretFiles.writeJson(file, root);
  }

  private ObjectNode read() {
    try {
      if (Files.exists(file)) {
        JsonNode n = JSON.readTree(file.toFile());
        if (n != null && n.isObject()) {
          return (ObjectNode) n;
        }
      }
      return JSON.createObjectNode();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
