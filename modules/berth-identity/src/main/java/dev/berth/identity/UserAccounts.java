package dev.berth.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Principal;
import dev.berth.api.ResourceId;
import dev.berth.http.Json;
import dev.berth.store.Precondition;
import dev.berth.store.Query;
import dev.berth.store.ResourceStore;
import dev.berth.store.StoredResource;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The local user accounts of Berth's one tenant, kept in the {@link ResourceStore} like service
 * principals: one document per user at {@code /providers/Berth.Identity/users/{userName}} holding
 * its names and an Argon2id hash of its password ({@link PasswordHash}), never the password. A user
 * is a principal of type {@code User} whose {@code appId} is its user name. Thread-safe (the store
 * is).
 *
 * <pre>{@code
 * {"userName": "admin", "displayName": "Admin", "objectId": "…", "tenantId": "…",
 *  "password": {"algorithm": "argon2id", "memoryKiB": 19456, "iterations": 2, "parallelism": 1,
 *               "salt": "<base64>", "hash": "<base64>"},
 *  "createdOn": "2026-01-01T00:00:00Z"}
 * }</pre>
 */
public final class UserAccounts {

  /** The resource type of a user document. */
  public static final String TYPE = StoreDirectory.NAMESPACE + "/users";

  /** The shortest password Berth accepts. */
  public static final int MIN_PASSWORD_LENGTH = 12;

  /** The longest password Berth accepts (Argon2 takes any length; this bounds the work). */
  public static final int MAX_PASSWORD_LENGTH = 256;

  private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ResourceStore store;
  private final String tenantId;
  private final Clock clock;

  public UserAccounts(ResourceStore store, String tenantId, Clock clock) {
    this.store = Objects.requireNonNull(store);
    this.tenantId = Objects.requireNonNull(tenantId);
    this.clock = Objects.requireNonNull(clock);
  }

  /** A user and, once, its password (empty when the caller chose the password). */
  public record UserCredentials(Principal user, Optional<String> password) {}

  /** The id of the document for {@code userName}. */
  public static ResourceId documentId(String userName) {
    return ResourceId.root().provider(StoreDirectory.NAMESPACE, "users", userName);
  }

  /** True when {@code name} can be a user name: 1 to 64 of letters, digits and {@code ._@-}. */
  public static boolean isValidUserName(String name) {
    return name != null && USER_NAME.matcher(name).matches();
  }

  /** Why {@code password} cannot be a password, if it cannot. */
  public static Optional<String> passwordProblem(String password) {
    if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
      return Optional.of(
          "The password must be at least " + MIN_PASSWORD_LENGTH + " characters long.");
    }
    if (password.length() > MAX_PASSWORD_LENGTH) {
      return Optional.of(
          "The password must be at most " + MAX_PASSWORD_LENGTH + " characters long.");
    }
    return Optional.empty();
  }

  /** A new password: 18 random bytes as base64url (24 characters, 144 bits). */
  public static String newPassword() {
    byte[] bytes = new byte[18];
    while (true) {
      RANDOM.nextBytes(bytes);
      String p = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      if (p.charAt(0) != '-') {
        return p;
      }
    }
  }

  /**
   * Creates a user, or returns empty when one by that name exists. Without {@code password}, Berth
   * makes one and returns it.
   *
   * @throws IllegalArgumentException when the name or the password is not acceptable
   */
  public Optional<UserCredentials> create(
      String userName, String displayName, Optional<String> password) {
    if (!isValidUserName(userName)) {
      throw new IllegalArgumentException("invalid user name: " + userName);
    }
    password
        .flatMap(UserAccounts::passwordProblem)
        .ifPresent(
            p -> {
              throw new IllegalArgumentException(p);
            });
    String chosen = password.orElseGet(UserAccounts::newPassword);
    // Hash outside the transaction: it is the slow part.
    ObjectNode hash = PasswordHash.of(chosen);
    Principal user =
        new Principal(
            UUID.randomUUID().toString(),
            tenantId,
            userName,
            Principal.PrincipalType.User,
            displayName);
    return store.inTransaction(
        tx -> {
          if (tx.get(documentId(userName)).isPresent()) {
            return Optional.empty();
          }
          ObjectNode body = Json.object();
          body.put("userName", userName);
          body.put("displayName", displayName);
          body.put("objectId", user.objectId());
          body.put("tenantId", tenantId);
          body.set("password", hash);
          body.put("createdOn", clock.instant().toString());
          tx.put(documentId(userName), body, Precondition.ABSENT);
          return Optional.of(
              new UserCredentials(
                  user, password.isPresent() ? Optional.empty() : Optional.of(chosen)));
        });
  }

  /** Sets a new random password; the old one stops working at once. */
  public Optional<UserCredentials> resetPassword(String userName) {
    if (!isValidUserName(userName)) {
      return Optional.empty();
    }
    String password = newPassword();
    ObjectNode hash = PasswordHash.of(password);
    return store.inTransaction(
        tx -> {
          Optional<StoredResource> current = tx.get(documentId(userName));
          if (current.isEmpty()) {
            return Optional.<UserCredentials>empty();
          }
          ObjectNode body = current.get().body().deepCopy();
          body.set("password", hash);
          tx.put(documentId(userName), body, Precondition.ifMatch(current.get().etag()));
          return Optional.of(new UserCredentials(principal(body), Optional.of(password)));
        });
  }

  /**
   * The user whose name and password these are, if they match. An unknown name costs the same hash
   * as a wrong password, so timing does not tell which users exist.
   */
  public Optional<Principal> authenticate(String userName, String password) {
    if (password == null || password.length() > MAX_PASSWORD_LENGTH) {
      return Optional.empty();
    }
    Optional<StoredResource> doc =
        isValidUserName(userName) ? store.get(documentId(userName)) : Optional.empty();
    if (doc.isEmpty()) {
      PasswordHash.burn(password);
      return Optional.empty();
    }
    return PasswordHash.matches(doc.get().body().path("password"), password)
        ? Optional.of(principal(doc.get().body()))
        : Optional.empty();
  }

  public Optional<Principal> findByUserName(String userName) {
    if (!isValidUserName(userName)) {
      return Optional.empty();
    }
    return store.get(documentId(userName)).map(d -> principal(d.body()));
  }

  public Optional<Principal> findByObjectId(String objectId) {
    // Users are few (the people of one team), so a scan is cheaper than an index to keep.
    return users().stream().filter(p -> p.objectId().equalsIgnoreCase(objectId)).findFirst();
  }

  public List<Principal> users() {
    return store.stream(Query.children(ResourceId.root(), TYPE))
        .map(d -> principal(d.body()))
        .toList();
  }

  /**
   * Deletes the user and, in the same transaction, every role assignment it holds; its tokens stop
   * being accepted because their {@code oid} no longer names a principal.
   */
  public boolean delete(String userName) {
    if (!isValidUserName(userName)) {
      return false;
    }
    return store.inTransaction(
        tx -> {
          Optional<StoredResource> gone = tx.delete(documentId(userName), Precondition.NONE);
          gone.ifPresent(
              d -> PrincipalAssignments.deleteAll(tx, d.body().path("objectId").asText()));
          return gone.isPresent();
        });
  }

  private static Principal principal(JsonNode body) {
    return new Principal(
        body.path("objectId").asText(),
        body.path("tenantId").asText(),
        body.path("userName").asText(),
        Principal.PrincipalType.User,
        body.path("displayName").asText());
  }
}
