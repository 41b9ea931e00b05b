package dev.berth.api.secrets;

import dev.berth.api.ResourceId;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a secret value lives: the document that holds it and the field inside it. Every value is
 * sealed for its slot (the slot is the cipher's associated data), so a sealed value copied into
 * another resource, or into another field of the same one, no longer opens. The factories below are
 * the catalog of every secret Berth keeps retrievable; anything else (client secrets, token
 * passwords) is kept as a salted hash and never sealed. Immutable.
 *
 * @param document the store document that holds the value (compared by {@link ResourceId#key()})
 * @param field the value's place in that document, one per value
 */
public record SecretSlot(ResourceId document, String field) {

  public SecretSlot {
    Objects.requireNonNull(document, "document");
    if (field == null || field.isBlank()) {
      throw new IllegalArgumentException("a secret slot needs a field");
    }
  }

  /**
   * A container app's secret: {@code properties.configuration.secrets[name=…].value} of the app's
   * document. Names compare case-insensitively, as Container Apps' do.
   */
  public static SecretSlot appSecret(ResourceId app, String name) {
    return new SecretSlot(
        app, "properties.configuration.secrets[" + name.toLowerCase(Locale.ROOT) + "].value");
  }

  /**
   * A registry admin user's password ({@code password} or {@code password2}): {@code
   * passwords[name=…].value} of the registry's admin credentials document, {@code
   * dev.berth.api.acr.AcrDocuments#adminCredentials} (spelled out here so that the registry model
   * may use the sealer without the two packages depending on each other).
   */
  public static SecretSlot adminPassword(ResourceId registry, String name) {
    return new SecretSlot(
        registry.provider("Berth.Secrets", "credentials", "admin"),
        "passwords[" + name.toLowerCase(Locale.ROOT) + "].value");
  }

  /** The associated data the cipher binds: the document's key and the field. */
  String binding() {
    return document.key() + "|" + field;
  }
}
