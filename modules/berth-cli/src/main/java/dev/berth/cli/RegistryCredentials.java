package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/**
 * How an app pulls from one registry, as az writes it into {@code configuration.registries}: with
 * an identity ({@code system} or a user-assigned identity's id), or with a user name and a password
 * kept as an app secret. Immutable.
 *
 * @param server the login server, such as {@code localhost:5001}
 * @param identity {@code system}, a user-assigned identity id, or null
 * @param username the user name, or null
 * @param password the password, {@code secretref:NAME} for an existing secret, or null
 */
record RegistryCredentials(String server, String identity, String username, String password) {

  private static final String SECRET_REF = "secretref:";

  /** Kubernetes' limit on a secret name, which ACA applies too. */
  private static final int MAX_SECRET_NAME = 253;

  /** Checks that the options name exactly one way to authenticate. */
  RegistryCredentials {
    boolean withIdentity = identity != null && !identity.isBlank();
    boolean withPassword = username != null || password != null;
    if (withIdentity && withPassword) {
      throw new CliFailure(
          "Use either a registry identity or a registry user name and password, not both.");
    }
    if (!withIdentity && (username == null || password == null)) {
      throw new CliFailure(
          "Registry '"
              + server
              + "' needs credentials: give an identity (system or a user-assigned identity id),"
              + " or a user name and a password.");
    }
  }

  boolean usesSystemIdentity() {
    return "system".equalsIgnoreCase(identity);
  }

  /** A user-assigned identity's id, when the registry is pulled from with one. */
  boolean usesUserIdentity() {
    return identity != null && !identity.isBlank() && !usesSystemIdentity();
  }

  /**
   * az's name for the secret holding a registry password: {@code <server>-<username>}, lower-cased,
   * with the server's dots and colons dropped, other characters a secret name cannot hold turned
   * into {@code -}, at most 253 characters, starting and ending with a letter or digit.
   */
  static String secretName(String server, String username) {
    String raw =
        (server.replace(".", "").replace(":", "") + "-" + username).toLowerCase(Locale.ROOT);
    String name = raw.replaceAll("[^a-z0-9.-]", "-");
    if (name.length() > MAX_SECRET_NAME) {
      name = name.substring(0, MAX_SECRET_NAME);
    }
    return name.replaceAll("^[^a-z0-9]+", "").replaceAll("[^a-z0-9]+$", "");
  }

  /**
   * Sets this registry in {@code configuration} (replacing an entry for the same server, matched
   * case-insensitively), storing a password as a secret first.
   */
  void applyTo(ObjectNode configuration) {
    ObjectNode entry = BerthCommand.JSON.createObjectNode().put("server", server);
    if (identity != null && !identity.isBlank()) {
      entry.put("identity", usesSystemIdentity() ? "system" : identity);
    } else {
      entry.put("username", username);
      entry.put("passwordSecretRef", passwordSecret(ContainerApps.array(configuration, "secrets")));
    }
    ArrayNode registries = ContainerApps.array(configuration, "registries");
    for (int i = 0; i < registries.size(); i++) {
      if (registries.get(i).path("server").asText().equalsIgnoreCase(server)) {
        registries.set(i, entry);
        return;
      }
    }
    registries.add(entry);
  }

  private String passwordSecret(ArrayNode secrets) {
    if (password.startsWith(SECRET_REF)) {
      String name = password.substring(SECRET_REF.length());
      boolean exists = false;
      for (JsonNode s : secrets) {
        exists |= s.path("name").asText().equals(name);
      }
      if (!exists) {
        throw new CliFailure(
            "The registry password refers to secret '" + name + "', which the app does not have.");
      }
      return name;
    }
    String name = secretName(server, username);
    SecretEntries.set(secrets, name, password);
    return name;
  }
}
