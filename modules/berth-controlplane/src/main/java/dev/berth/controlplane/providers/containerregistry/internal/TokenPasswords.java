package dev.berth.controlplane.providers.containerregistry.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ArmErrors;
import dev.berth.api.ResourceId;
import dev.berth.api.acr.AcrDocuments;
import dev.berth.api.acr.PasswordHashes;
import dev.berth.api.secrets.SecretRecipe;
import dev.berth.http.Json;
import dev.berth.store.Precondition;
import dev.berth.store.ResourceStore;
import dev.berth.store.StoredResource;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST {registry}/generateCredentials}: makes new passwords for a token, returns their
 * values this once, and keeps only salted hashes in {@link AcrDocuments#tokenPasswords}, as {@link
 * PasswordHashes} writes them (expiry only when the caller gave one). The token's ARM document gets
 * the metadata ({@code name}, {@code creationTime}, {@code expiry}) under {@code
 * properties.credentials.passwords}. Thread-safe.
 */
final class TokenPasswords {

  private static final List<String> NAMES = List.of("password1", "password2");

  private final ResourceStore store;
  private final Clock clock;

  TokenPasswords(ResourceStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** Body {@code {"tokenId","name"?: "password1"|"password2","expiry"?}}; no name = both. */
  JsonNode generate(ResourceId registry, ObjectNode body) {
    ResourceId tokenId = tokenId(registry, body.get("tokenId"));
    List<String> names =
        body.hasNonNull("name")
            ? List.of(Checks.canonical(body.get("name"), "name", "password1", "password2"))
            : NAMES;
    Optional<Instant> expiry = expiry(body.get("expiry"));
    String now = clock.instant().toString();
    return store.inTransaction(
        s -> {
          StoredResource token =
              s.get(tokenId).orElseThrow(() -> ArmErrors.resourceNotFound(tokenId));
          ObjectNode hashes =
              s.get(AcrDocuments.tokenPasswords(tokenId))
                  .map(d -> d.body().deepCopy())
                  .orElseGet(Json::object);
          ObjectNode tokenDoc = token.body().deepCopy();
          ObjectNode credentials =
              Checks.object(
                  Checks.object(tokenDoc, "properties", "properties"), "credentials", "c");
          ObjectNode reply = Json.object().put("username", token.id().name());
          ArrayNode values = reply.putArray("passwords");
          for (String name : names) {
            String password = SecretRecipe.newSecret();
            ObjectNode hash = PasswordHashes.entry(name, password, expiry);
            ObjectNode meta = Json.object().put("name", name).put("creationTime", now);
            expiry.ifPresent(e -> meta.put("expiry", e.toString()));
            replace(hashes, "passwords", name, hash);
            replace(credentials, "passwords", name, meta);
            values.add(meta.deepCopy().put("value", password));
          }
          if (!credentials.has("certificates")) {
            credentials.putArray("certificates");
          }
          s.put(AcrDocuments.tokenPasswords(tokenId), hashes, Precondition.NONE);
          s.put(tokenId, tokenDoc, Precondition.NONE);
          return reply;
        });
  }

  /** Replaces the entry called {@code name} of array {@code field}, keeping password1 first. */
  private static void replace(ObjectNode parent, String field, String name, ObjectNode entry) {
    List<JsonNode> kept = new ArrayList<>();
    JsonNode old = parent.get(field);
    if (old != null && old.isArray()) {
      old.forEach(e -> kept.add(e));
    }
    kept.removeIf(e -> e.path("name").asText().equals(name));
    kept.add(entry);
    kept.sort(Comparator.comparing(e -> e.path("name").asText()));
    ArrayNode out = parent.putArray(field);
    kept.forEach(out::add);
  }

  private static ResourceId tokenId(ResourceId registry, JsonNode value) {
    if (value == null || !value.isTextual()) {
      throw Checks.invalid("tokenId", "The property 'tokenId' is required.");
    }
    ResourceId id;
    try {
      id = ResourceId.parse(value.asText());
    } catch (IllegalArgumentException e) {
      throw Checks.invalid("tokenId", "The token id '" + value.asText() + "' is invalid.");
    }
    if (!id.type().equalsIgnoreCase(AcrDocuments.TOKEN_TYPE)
        || !id.parent().map(registry::equals).orElse(false)) {
      throw Checks.invalid(
          "tokenId",
          "The token '"
              + value.asText()
              + "' is not a token of registry '"
              + registry.name()
              + "'.");
    }
    return id;
  }

  private static Optional<Instant> expiry(JsonNode value) {
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(value.asText()).toInstant());
    } catch (DateTimeParseException e) {
      throw Checks.invalid(
          "expiry", "The expiry '" + value.asText() + "' is not an ISO 8601 date and time.");
    }
  }
}
