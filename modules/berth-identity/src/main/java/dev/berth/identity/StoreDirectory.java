package dev.berth.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Principal;
import dev.berth.api.ResourceId;
import dev.berth.api.secrets.SecretRecipe;
import dev.berth.http.Json;
import dev.berth.store.Precondition;
import dev.berth.store.Query;
import dev.berth.store.ResourceStore;
import dev.berth.store.StoredResource;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@link Directory} kept in the {@link ResourceStore}: one document per service principal at
 * {@code /providers/Berth.Identity/servicePrincipals/{appId}} holding its names and a salted hash
 * of its secret, never the secret itself. Thread-safe (the store is).
 *
 * <pre>{@code
 * {"displayName": "ci", "appId": "…", "objectId": "…", "tenantId": "…",
 *  "secret": {"algorithm": "SHA-256", "salt": "<base64>", "hash": "<base64>"},
 *  "createdOn": "2026-01-01T00:00:00Z"}
 * }</pre>
 */
public final class StoreDirectory implements Directory {

  /** The provider namespace of Berth's own identity documents. */
  public static final String NAMESPACE = "Berth.Identity";

  /** The resource type of a service principal document. */
  public static final String TYPE = NAMESPACE + "/servicePrincipals";

  // Compared against when the app id is unknown, so a miss costs the same as a wrong secret.
  private static final byte[] DUMMY_SALT = SecretRecipe.newSalt();
  private static final byte[] DUMMY_HASH = SecretRecipe.hash(DUMMY_SALT, SecretRecipe.newSecret());

  private final ResourceStore store;
  private final String tenantId;
  private final Clock clock;

  public StoreDirectory(ResourceStore store, String tenantId, Clock clock) {
    this.store = Objects.requireNonNull(store);
    this.tenantId = Objects.requireNonNull(tenantId);
    this.clock = Objects.requireNonNull(clock);
  }

  /** The id of the document for {@code appId}. */
  public static ResourceId documentId(String appId) {
    return ResourceId.root().provider(NAMESPACE, "servicePrincipals", appId);
  }

  @Override
  public String tenantId() {
    return tenantId;
  }

  @Override
  public ServicePrincipalCredentials createServicePrincipal(String displayName) {
    Principal principal =
        new Principal(
            UUID.randomUUID().toString(),
            tenantId,
            UUID.randomUUID().toString(),
            Principal.PrincipalType.ServicePrincipal,
            displayName);
    String secret = SecretRecipe.newSecret();
    ObjectNode body = Json.object();
    body.put("displayName", displayName);
    body.put("appId", principal.appId());
    body.put("objectId", principal.objectId());
    body.put("tenantId", tenantId);
    body.set("secret", secretNode(secret));
    body.put("createdOn", clock.instant().toString());
    store.put(documentId(principal.appId()), body, Precondition.ABSENT);
    return new ServicePrincipalCredentials(principal, secret);
  }

  @Override
  public Optional<ServicePrincipalCredentials> resetSecret(String appId) {
    return store.inTransaction(
        tx -> {
          Optional<StoredResource> current = tx.get(documentId(appId));
          if (current.isEmpty()) {
            return Optional.empty();
          }
          String secret = SecretRecipe.newSecret();
          ObjectNode body = current.get().body().deepCopy();
          body.set("secret", secretNode(secret));
          tx.put(documentId(appId), body, Precondition.ifMatch(current.get().etag()));
          return Optional.of(new ServicePrincipalCredentials(principal(body), secret));
        });
  }

  @Override
  public Optional<Principal> authenticate(String clientId, String clientSecret) {
    if (clientId == null || clientSecret == null || !isSafeName(clientId)) {
      SecretRecipe.matches(DUMMY_SALT, DUMMY_HASH, String.valueOf(clientSecret));
      return Optional.empty();
    }
    Optional<StoredResource> doc = store.get(documentId(clientId));
    if (doc.isEmpty()) {
      SecretRecipe.matches(DUMMY_SALT, DUMMY_HASH, clientSecret);
      return Optional.empty();
    }
    JsonNode secret = doc.get().body().path("secret");
    Base64.Decoder b64 = Base64.getDecoder();
    byte[] salt = b64.decode(secret.path("salt").asText(""));
    byte[] hash = b64.decode(secret.path("hash").asText(""));
    return SecretRecipe.matches(salt, hash, clientSecret)
        ? Optional.of(principal(doc.get().body()))
        : Optional.empty();
  }

  @Override
  public Optional<Principal> findByAppId(String appId) {
    if (appId == null || !isSafeName(appId)) {
      return Optional.empty();
    }
    return store.get(documentId(appId)).map(d -> principal(d.body()));
  }

  @Override
  public Optional<Principal> findByObjectId(String objectId) {
    // Service principals are few (people and CI), so a scan is cheaper than an index to keep.
    return servicePrincipals().stream()
        .filter(p -> p.objectId().equalsIgnoreCase(objectId))
        .findFirst();
  }

  @Override
  public List<Principal> servicePrincipals() {
    return store.stream(Query.children(ResourceId.root(), TYPE))
        .map(d -> principal(d.body()))
        .toList();
  }

  /** Deletes the principal and, in the same transaction, every role assignment it holds. */
  @Override
  public boolean deleteServicePrincipal(String appId) {
    if (!isSafeName(appId)) {
      return false;
    }
    return store.inTransaction(
        tx -> {
          Optional<StoredResource> gone = tx.delete(documentId(appId), Precondition.NONE);
          gone.ifPresent(
              d -> PrincipalAssignments.deleteAll(tx, d.body().path("objectId").asText()));
          return gone.isPresent();
        });
  }

  private static ObjectNode secretNode(String secret) {
    byte[] salt = SecretRecipe.newSalt();
    ObjectNode node = Json.object();
    node.put("algorithm", SecretRecipe.ALGORITHM);
    node.put("salt", Base64.getEncoder().encodeToString(salt));
    node.put("hash", Base64.getEncoder().encodeToString(SecretRecipe.hash(salt, secret)));
    return node;
  }

  private static Principal principal(JsonNode body) {
    return new Principal(
        body.path("objectId").asText(),
        body.path("tenantId").asText(),
        body.path("appId").asText(),
        Principal.PrincipalType.ServicePrincipal,
        body.path("displayName").asText());
  }

  /** A client id becomes one path segment: refuse anything that could not be one. */
  private static boolean isSafeName(String name) {
    return !name.isEmpty() && name.length() <= 128 && name.matches("[A-Za-z0-9._~-]+");
  }
}
