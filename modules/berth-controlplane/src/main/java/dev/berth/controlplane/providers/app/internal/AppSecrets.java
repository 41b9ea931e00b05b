package dev.berth.controlplane.providers.app.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ArmErrorCode;
import dev.berth.api.ArmException;
import dev.berth.api.ResourceId;
import dev.berth.api.secrets.SecretSealer;
import dev.berth.api.secrets.SecretSlot;
import dev.berth.http.Json;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The secrets of a container app ({@code properties.configuration.secrets}): stored with their
 * values sealed ({@link SecretSealer}, bound to the app and the secret's name), which no GET shows
 * ({@code x-ms-secret}) and {@code POST listSecrets} returns in clear. A write that names an
 * existing secret without a value keeps the stored value, so {@code az}'s GET-modify-PUT round
 * trips keep secrets even when it did not list them first. Stateless.
 */
final class AppSecrets {

  private AppSecrets() {}

  /**
   * Checks the secrets of {@code configuration}, fills in stored values where a secret comes back
   * without one, and answers their names.
   */
  static Set<String> apply(ObjectNode configuration, Optional<ObjectNode> current) {
    ArrayNode secrets = Fields.array(configuration, "secrets", "properties.configuration.secrets");
    Set<String> names = new LinkedHashSet<>();
    List<String> missing = new ArrayList<>();
    for (int i = 0; i < secrets.size(); i++) {
      String path = "properties.configuration.secrets[" + i + "]";
      ObjectNode secret = Fields.element(secrets.get(i), path);
      String name = Fields.text(secret, "name", path + ".name");
      if (name.isEmpty()) {
        throw Fields.invalid("configuration.secrets", "every secret needs a name");
      }
      if (!names.add(name)) {
        throw Fields.invalid(
            "configuration.secrets", "the secret name '" + name + "' is used more than once");
      }
      if (!Fields.text(secret, "value", path + ".value").isEmpty()) {
        continue;
      }
      Optional<String> stored = current.flatMap(c -> storedValue(c, name));
      if (stored.isPresent()) {
        secret.put("value", stored.get());
      } else if (Fields.text(secret, "keyVaultUrl", path + ".keyVaultUrl").isEmpty()) {
        missing.add(name);
      }
    }
    if (!missing.isEmpty()) {
      throw ArmException.of(
              ArmErrorCode.ContainerAppSecretInvalid,
              "Invalid Request: Container app secret(s) with name(s) '"
                  + String.join(", ", missing)
                  + "' are invalid: value or keyVaultUrl and identity should be provided.")
          .withTarget("properties.configuration.secrets");
    }
    return names;
  }

  private static Optional<String> storedValue(ObjectNode doc, String name) {
    for (JsonNode s : doc.path("properties").path("configuration").path("secrets")) {
      if (name.equals(s.path("name").asText()) && s.path("value").isTextual()) {
        return Optional.of(s.path("value").asText());
      }
    }
    return Optional.empty();
  }

  /**
   * Seals every clear value of {@code configuration}'s secrets for {@code app}. A value that is
   * already sealed for its place (the stored one, which {@link #apply} copied or a PATCH kept)
   * stays as it is, and so does the stored value when the write repeats it in clear: a PUT that
   * changes nothing stores nothing new. Call after {@link #apply}.
   */
  static void seal(
      SecretSealer sealer, ResourceId app, ObjectNode configuration, Optional<ObjectNode> current) {
    for (JsonNode s : configuration.path("secrets")) {
      if (!(s instanceof ObjectNode secret) || !secret.path("value").isTextual()) {
        continue; // a Key Vault reference holds no value
      }
      String name = secret.path("name").asText();
      SecretSlot slot = SecretSlot.appSecret(app, name);
      String value = secret.path("value").asText();
      if (sealer.opens(value, slot)) {
        continue;
      }
      Optional<String> same =
          current
              .flatMap(c -> storedValue(c, name))
              .filter(stored -> sealer.opens(stored, slot))
              .filter(stored -> sealer.open(stored, slot).equals(value));
      secret.put("value", same.orElseGet(() -> sealer.seal(value, slot)));
    }
  }

  /** Removes every secret value from a document about to be shown. */
  static void strip(ObjectNode doc) {
    for (JsonNode s : doc.path("properties").path("configuration").path("secrets")) {
      if (s instanceof ObjectNode o) {
        o.remove("value");
      }
    }
  }

  /**
   * The {@code listSecrets} reply, values in clear (as ACA answers a caller allowed the action):
   * {@code {"value":[{name, value, identity, keyVaultUrl}]}}.
   */
  static ObjectNode list(SecretSealer sealer, ResourceId app, ObjectNode stored) {
    ObjectNode out = Json.object();
    ArrayNode value = out.putArray("value");
    for (JsonNode s : stored.path("properties").path("configuration").path("secrets")) {
      String name = s.path("name").asText();
      ObjectNode item = value.addObject().put("name", name);
      if (s.path("value").isTextual()) {
        item.put("value", sealer.open(s.path("value").asText(), SecretSlot.appSecret(app, name)));
      }
      for (String f : List.of("identity", "keyVaultUrl")) {
        if (s.path(f).isTextual()) {
          item.put(f, s.path(f).asText());
        }
      }
    }
    return out;
  }
}
