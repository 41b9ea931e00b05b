package dev.berth.registry.auth.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.Principal;
import dev.berth.api.ResourceId;
import dev.berth.api.acr.AcrDocuments;
import dev.berth.api.secrets.SealedValueException;
import dev.berth.api.secrets.SecretSealer;
import dev.berth.api.secrets.SecretSlot;
import dev.berth.identity.Directory;
import dev.berth.registry.AccessRequest;
import dev.berth.registry.Registry;
import dev.berth.registry.RegistryErrorCode;
import dev.berth.registry.RegistryException;
import dev.berth.store.ResourceStore;
import dev.berth.store.StoredResource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a username and password against what a registry accepts, in ACR's order: the null-GUID
 * user with an ACR token, the admin user, a repository-scoped token, a service principal. A wrong
 * credential is a 401 that says which check failed (never a 403: containerd only falls back from
 * POST to GET on 400/401/404/405). Thread-safe.
 *
 * @see <a href="https://github.com/Azure/acr/blob/main/docs/Token-BasicAuth.md">ACR Basic auth</a>
 *     (reference acr-auth.md §1.5, §3.3, §5)
 */
public final class Credentials {

  /** The username that says "the password is an ACR token" (acr-auth.md §1.5). */
  public static final String NULL_GUID = "00000000-0000-0000-0000-000000000000";

  private static final Logger LOG = LoggerFactory.getLogger(Credentials.class);
  private static final String INCORRECT = "incorrect username or password for registry '%s'";

  /** The claim of Berth's registry access tokens that names the Entra principal they serve. */
  public static final String PRINCIPAL_CLAIM = "oid";

  private final ResourceStore store;
  private final Directory directory;
  private final Function<String, Optional<Principal>> principals;
  private final AcrJwt jwt;
  private final SecretSealer sealer;

  /**
   * @param principals finds a principal by object id (service principals and managed identities): a
   *     registry token whose principal is gone is refused
   * @param sealer opens the admin passwords the registry document keeps sealed
   */
  public Credentials(
      ResourceStore store,
      Directory directory,
      Function<String, Optional<Principal>> principals,
      AcrJwt jwt,
      SecretSealer sealer) {
    this.store = store;
    this.directory = directory;
    this.principals = principals;
    this.jwt = jwt;
    this.sealer = sealer;
  }

  /**
   * The principal {@code principalId} names, if it still exists; a 401 otherwise. Deleting a
   * principal ends its registry sessions: refresh tokens (3 h) and access tokens (75 min) issued to
   * it are refused from then on, not when they expire.
   */
  public Principal requirePrincipal(Registry registry, String principalId) {
    return principals
        .apply(principalId)
        .orElseThrow(
            () ->
                refused(
                    "the principal '%s' this token was issued to no longer exists; log in to registry '%s' again"
                        .formatted(principalId, registry.name())));
  }

  /**
   * The caller these credentials prove.
   *
   * @param acceptAcrTokens whether the null-GUID user with an ACR token counts (on the token
   *     endpoint it does; as Basic on {@code /v2/} ACR refuses it, acr issue 98)
   * @throws RegistryException {@code UNAUTHORIZED} saying why
   */
  public Caller resolve(
      Registry registry, String username, String password, boolean acceptAcrTokens) {
    if (username.equals(NULL_GUID)) {
      if (!acceptAcrTokens) {
        throw refused(
            "an ACR token cannot be used as a password here: exchange it at /oauth2/token for an"
                + " access token and send that as a Bearer token");
      }
      return fromAcrToken(registry, password);
    }
    String admin = adminUsername(registry);
    if (username.equalsIgnoreCase(admin)) {
      return admin(registry, admin, password);
    }
    // A username that cannot be one segment of a resource id (empty, or holding '/') names no
    // token; asking the store for it would build a malformed id.
    Optional<StoredResource> token =
        username.isEmpty() || username.indexOf('/') >= 0
            ? Optional.empty()
            : store.get(registry.id().child("tokens", username)).filter(t -> isToken(t));
    if (token.isPresent()) {
      return scopeMapToken(registry, token.get(), password);
    }
    return directory
        .authenticate(username, password)
        .<Caller>map(Caller.Entra::new)
        .orElseThrow(() -> refused(INCORRECT.formatted(registry.name())));
  }

  private Caller fromAcrToken(Registry registry, String token) {
    AcrJwt.Verified refresh = jwt.verify(token, registry, "refresh_token");
    if (refresh.claims().isPresent()) {
      return new Caller.Entra(
          requirePrincipal(registry, principalOf(refresh.claims().get()).objectId()));
    }
    // ACR also accepts an access token with the null GUID; it then holds only its own access.
    AcrJwt.Verified access = jwt.verify(token, registry, "access_token");
    if (access.claims().isPresent()) {
      JsonNode c = access.claims().get();
      List<AccessRequest> held = new ArrayList<>();
      for (JsonNode a : c.path("access")) {
        List<String> actions = new ArrayList<>();
        a.path("actions").forEach(x -> actions.add(x.asText()));
        held.add(new AccessRequest(a.path("type").asText(), a.path("name").asText(), actions));
      }
      Optional<String> principalId = Optional.empty();
      if (c.path(PRINCIPAL_CLAIM).isTextual()) {
        principalId =
            Optional.of(requirePrincipal(registry, c.path(PRINCIPAL_CLAIM).asText()).objectId());
      }
      return new Caller.AccessTokenBearer(c.path("sub").asText(), held, principalId);
    }
    throw refused("the ACR refresh token is not valid: " + refresh.reason());
  }

  /** The principal an ACR refresh token was issued to (only its object id matters for RBAC). */
  public static Principal principalOf(JsonNode refreshClaims) {
    String oid = refreshClaims.path("sub").asText();
    return new Principal(
        oid,
        refreshClaims.path("tenant").asText(""),
        oid,
        Principal.PrincipalType.ServicePrincipal,
        oid);
  }

  private String adminUsername(Registry registry) {
    return store
        .get(AcrDocuments.adminCredentials(registry.id()))
        .map(d -> d.body().path("username").asText(registry.name()))
        .orElse(registry.name());
  }

  private Caller admin(Registry registry, String admin, String password) {
    if (!registry.adminUserEnabled()) {
      throw refused(
          "the admin user of registry '%s' is disabled. Enable it with 'az acr update -n %s"
                  .formatted(registry.name(), registry.name())
              + " --admin-enabled true', or log in with an Entra identity (az acr login) or a"
              + " repository-scoped token");
    }
    JsonNode passwords =
        store
            .get(AcrDocuments.adminCredentials(registry.id()))
            .map(d -> d.body().path("passwords"))
            .orElse(null);
    boolean ok = false;
    if (passwords != null) {
      for (JsonNode p : passwords) {
        String value = adminPassword(registry, p);
        // Compare every password in constant time, so timing does not say which one nearly matched.
        ok |=
            !value.isEmpty()
                && MessageDigest.isEqual(
                    value.getBytes(StandardCharsets.UTF_8),
                    password.getBytes(StandardCharsets.UTF_8));
      }
    }
    if (!ok) {
      throw refused(INCORRECT.formatted(registry.name()));
    }
    return new Caller.Admin(admin);
  }

  /**
   * An admin password in clear, opened from its sealed form; empty (matching nothing) when it does
   * not open: a clear value where only sealed ones are kept, another key, another registry's.
   */
  private String adminPassword(Registry registry, JsonNode entry) {
    String name = entry.path("name").asText("");
    try {
      return sealer.open(
          entry.path("value").asText(""), SecretSlot.adminPassword(registry.id(), name));
    } catch (SealedValueException e) {
      LOG.warn(
          "registry '{}': admin password '{}' refused: {}", registry.name(), name, e.getMessage());
      return "";
    }
  }

  private static boolean isToken(StoredResource doc) {
    return doc.type().equalsIgnoreCase(AcrDocuments.TOKEN_TYPE);
  }

  private Caller scopeMapToken(Registry registry, StoredResource token, String password) {
    String name = token.id().name();
    JsonNode props = token.body().path("properties");
    if ("disabled".equalsIgnoreCase(props.path("status").asText("enabled"))) {
      throw refused(
          "token '%s' of registry '%s' is disabled. Enable it with 'az acr token update -n %s -r %s --status enabled'"
              .formatted(name, registry.name(), name, registry.name()));
    }
    JsonNode passwords =
        store
            .get(AcrDocuments.tokenPasswords(token.id()))
            .map(d -> d.body().path("passwords"))
            .orElse(null);
    Instant now = jwt.now();
    String expired = null;
    boolean ok = false;
    if (passwords != null) {
      for (JsonNode p : passwords) {
        if (!hashMatches(p, password)) {
          continue;
        }
        Optional<Instant> expiry = instant(p.path("expiry").asText(""));
        if (expiry.isPresent() && !now.isBefore(expiry.get())) {
          expired = p.path("name").asText("password") + " expired at " + expiry.get();
        } else {
          ok = true;
        }
      }
    }
    if (!ok && expired != null) {
      throw refused(
          "the password of token '%s' of registry '%s' has expired (%s). Generate a new one with 'az acr token credential generate -n %s -r %s'"
              .formatted(name, registry.name(), expired, name, registry.name()));
    }
    if (!ok) {
      throw refused(INCORRECT.formatted(registry.name()));
    }
    List<String> actions = new ArrayList<>();
    ResourceId.tryParse(props.path("scopeMapId").asText(""))
        .flatMap(store::get)
        .ifPresent(
            m -> m.body().path("properties").path("actions").forEach(a -> actions.add(a.asText())));
    return new Caller.ScopeMapToken(name, actions);
  }

  /** Salted SHA-256 as {@code AcrDocuments} says: {@code hash = SHA-256(salt ‖ password)}. */
  private static boolean hashMatches(JsonNode entry, String password) {
    Optional<byte[]> salt = bytes(entry.path("salt").asText(""));
    Optional<byte[]> hash = bytes(entry.path("hash").asText(""));
    if (salt.isEmpty() || hash.isEmpty()) {
      return false;
    }
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(salt.get());
      md.update(password.getBytes(StandardCharsets.UTF_8));
      return MessageDigest.isEqual(md.digest(), hash.get());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }

  /** Base64 as Berth's other secret hashes are stored; hex is accepted too. */
  private static Optional<byte[]> bytes(String text) {
    if (text.isEmpty()) {
      return Optional.empty();
    }
    if ((text.length() == 32 || text.length() == 64)
        && text.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      return Optional.of(HexFormat.of().parseHex(text));
    }
    try {
      return Optional.of(Base64.getDecoder().decode(text));
    } catch (IllegalArgumentException e) {
      try {
        return Optional.of(Base64.getUrlDecoder().decode(text));
      } catch (IllegalArgumentException e2) {
        return Optional.empty();
      }
    }
  }

  private static Optional<Instant> instant(String text) {
    if (text.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(java.time.OffsetDateTime.parse(text).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.of(Instant.MIN); // An unreadable expiry fails closed: treat it as passed.
    }
  }

  static RegistryException refused(String message) {
    return RegistryException.of(RegistryErrorCode.UNAUTHORIZED, message);
  }
}
