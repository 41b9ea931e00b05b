package dev.berth.api.acr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.berth.api.ResourceId;
import dev.berth.api.acr.AccessDecision.Reason;
import dev.berth.api.acr.AccessDecision.Refusal;
import dev.berth.api.secrets.SealedValueException;
import dev.berth.api.secrets.SecretSealer;
import dev.berth.api.secrets.SecretSlot;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether a username and password log in to a registry as its admin user or as one of its
 * repository-scoped tokens, judged on the documents of {@link AcrDocuments}: the registry's token
 * service decides with it, the pull diagnosis explains with it. Refusals come in ACR's order and
 * words (401 {@code UNAUTHORIZED}: containerd falls back from POST to GET only on 400/401/404/405).
 * Stateless and thread-safe.
 *
 * @see <a href="https://github.com/Azure/acr/blob/main/docs/Token-BasicAuth.md">ACR Basic auth</a>
 */
public final class RegistryLogins {

  private static final String INCORRECT = "incorrect username or password for registry '%s'";

  private RegistryLogins() {}

  /** The admin user's name: the credentials document's {@code username}, else the registry's. */
  public static String adminUsername(Registry registry, Optional<JsonNode> credentials) {
    return credentials
        .map(c -> c.path("username").asText(""))
        .filter(u -> !u.isBlank())
        .orElse(registry.name());
  }

  /**
   * The admin user with {@code password}: the admin user must be enabled, and the password one of
   * its current passwords, which the credentials document keeps sealed for this registry (a value
   * in clear, or sealed for another place, matches nothing).
   *
   * @param credentials the document at {@link AcrDocuments#adminCredentials}, if any
   */
  public static AccessDecision admin(
      Registry registry, Optional<JsonNode> credentials, String password, SecretSealer sealer) {
    List<Refusal> refusals = new ArrayList<>();
    String name = registry.name();
    if (!registry.adminUserEnabled()) {
      refusals.add(
          new Refusal(
              Reason.ADMIN_USER_DISABLED,
              name,
              "the admin user of registry '%s' is disabled. Enable it with 'az acr update -n %s"
                      .formatted(name, name)
                  + " --admin-enabled true', or log in with an Entra identity (az acr login) or a"
                  + " repository-scoped token"));
    }
    boolean ok = false;
    for (JsonNode p : credentials.map(c -> c.path("passwords")).orElse(missing())) {
      Optional<String> value = open(registry.id(), p, sealer);
      // Every password is compared, in constant time: timing does not say which nearly matched.
      ok |=
          value.isPresent()
              && !value.get().isEmpty()
              && MessageDigest.isEqual(
                  value.get().getBytes(StandardCharsets.UTF_8),
                  password.getBytes(StandardCharsets.UTF_8));
    }
    if (!ok) {
      refusals.add(new Refusal(Reason.WRONG_PASSWORD, name, INCORRECT.formatted(name)));
    }
    return refusals.isEmpty()
        ? AccessDecision.granted("the admin user")
        : AccessDecision.of(refusals);
  }

  /**
   * Each admin password that does not open for this registry, as {@code name: why} (for the
   * registry's log: a value stored in clear, or sealed with another key or for another registry).
   */
  public static List<String> unreadableAdminPasswords(
      Registry registry, Optional<JsonNode> credentials, SecretSealer sealer) {
    List<String> unreadable = new ArrayList<>();
    for (JsonNode p : credentials.map(c -> c.path("passwords")).orElse(missing())) {
      try {
        opened(registry.id(), p, sealer);
      } catch (SealedValueException e) {
        unreadable.add(p.path("name").asText("") + ": " + e.getMessage());
      }
    }
    return unreadable;
  }

  /**
   * Token {@code name} with {@code password}: the token must be enabled, and the password one of
   * its unexpired passwords ({@link PasswordHashes}).
   *
   * @param token the token's ARM document
   * @param passwords the document at {@link AcrDocuments#tokenPasswords}, if any
   */
  public static AccessDecision token(
      Registry registry,
      String name,
      JsonNode token,
      Optional<JsonNode> passwords,
      String password,
      Instant now) {
    List<Refusal> refusals = new ArrayList<>();
    String registryName = registry.name();
    if ("disabled".equalsIgnoreCase(token.path("properties").path("status").asText("enabled"))) {
      refusals.add(
          new Refusal(
              Reason.TOKEN_DISABLED,
              name,
              "token '%s' of registry '%s' is disabled. Enable it with 'az acr token update -n %s -r %s --status enabled'"
                  .formatted(name, registryName, name, registryName)));
    }
    boolean current = false;
    Optional<String> expired = Optional.empty();
    for (JsonNode p : passwords.map(d -> d.path("passwords")).orElse(missing())) {
      if (PasswordHashes.matches(p, password)) {
        Optional<String> why = PasswordHashes.expired(p, now);
        current |= why.isEmpty();
        expired = expired.or(() -> why);
      }
    }
    if (!current && expired.isPresent()) {
      refusals.add(
          new Refusal(
              Reason.PASSWORD_EXPIRED,
              name,
              "the password of token '%s' of registry '%s' has expired (%s). Generate a new one with 'az acr token credential generate -n %s -r %s'"
                  .formatted(name, registryName, expired.get(), name, registryName)));
    } else if (!current) {
      refusals.add(new Refusal(Reason.WRONG_PASSWORD, name, INCORRECT.formatted(registryName)));
    }
    return refusals.isEmpty()
        ? AccessDecision.granted("token " + name)
        : AccessDecision.of(refusals);
  }

  /** The scope map a token's document names ({@code properties.scopeMapId}), if it names one. */
  public static Optional<ResourceId> scopeMapId(JsonNode token) {
    return ResourceId.tryParse(token.path("properties").path("scopeMapId").asText(""));
  }

  private static Optional<String> open(ResourceId registry, JsonNode entry, SecretSealer sealer) {
    try {
      return Optional.of(opened(registry, entry, sealer));
    } catch (SealedValueException e) {
      return Optional.empty();
    }
  }

  private static String opened(ResourceId registry, JsonNode entry, SecretSealer sealer) {
    SecretSlot slot = SecretSlot.adminPassword(registry, entry.path("name").asText(""));
    return sealer.open(entry.path("value").asText(""), slot);
  }

  private static JsonNode missing() {
    return MissingNode.getInstance();
  }
}
