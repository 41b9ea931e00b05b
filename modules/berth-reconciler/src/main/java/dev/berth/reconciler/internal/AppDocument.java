package dev.berth.reconciler.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.ResourceId;
import dev.berth.api.secrets.SealedValueException;
import dev.berth.api.secrets.SecretSealer;
import dev.berth.api.secrets.SecretSlot;
import dev.berth.identity.AppIdentities;
import dev.berth.identity.AppIdentities.AppIdentity;
import dev.berth.store.ResourceStore;
import java.util.Locale;
import java.util.Optional;

/**
 * A read-only view of a container app's ARM document (see docs/provider-app.md for its shape): its
 * secrets (opened with {@code sealer}: the store keeps them sealed), registries and identities,
 * resolved the way a revision needs them.
 */
public record AppDocument(ResourceId id, JsonNode body, SecretSealer sealer) {

  public String name() {
    return id.name();
  }

  public JsonNode configuration() {
    return body.path("properties").path("configuration");
  }

  public String activeRevisionsMode() {
    return Documents.text(configuration(), "activeRevisionsMode", "Single");
  }

  /**
   * The clear value of the secret {@code name}, empty when the app has no such secret (or it is a
   * Key Vault reference).
   *
   * @throws SealedValueException when the stored value does not open: not sealed, another key,
   *     copied from another app
   */
  public Optional<String> secret(String name) {
    for (JsonNode secret : configuration().path("secrets")) {
      if (name.equalsIgnoreCase(secret.path("name").asText())) {
        return Optional.ofNullable(secret.path("value").textValue())
            .map(v -> sealer.open(v, SecretSlot.appSecret(id, secret.path("name").asText())));
      }
    }
    return Optional.empty();
  }

  /** The {@code registries[]} entry whose {@code server} is {@code server} (case-insensitive). */
  public Optional<JsonNode> registry(String server) {
    for (JsonNode entry : configuration().path("registries")) {
      if (sameServer(server, entry.path("server").asText())) {
        return Optional.of(entry);
      }
    }
    return Optional.empty();
  }

  /** {@code localhost:5001} and {@code 127.0.0.1:5001} name the same loopback registry. */
  static boolean sameServer(String a, String b) {
    return normalise(a).equals(normalise(b));
  }

  private static String normalise(String server) {
    String s = server.toLowerCase(Locale.ROOT).strip();
    if (s.startsWith("https://")) {
      s = s.substring("https://".length());
    }
    if (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return s.startsWith("localhost:") ? "127.0.0.1:" + s.substring("localhost:".length()) : s;
  }

  /** The environment's id ({@code environmentId}, else {@code managedEnvironmentId}). */
  public Optional<ResourceId> environmentId() {
    JsonNode p = body.path("properties");
    String text = Documents.text(p, "environmentId", Documents.text(p, "managedEnvironmentId", ""));
    return ResourceId.tryParse(text);
  }

  /**
   * The identity a {@code registries[].identity} value names: {@code system}, or a user-assigned
   * identity's resource id that is attached to the app. Empty when the app has no such identity.
   */
  public Optional<AppIdentity> identity(String reference, ResourceStore store) {
    return AppIdentities.of(store).forApp(id).stream()
        .filter(
            i ->
                "system".equalsIgnoreCase(reference)
                    ? i.systemAssigned()
                    : !i.systemAssigned() && reference.equalsIgnoreCase(i.resourceId().value()))
        .findFirst();
  }
}
