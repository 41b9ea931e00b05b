package dev.berth.registry.auth.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.Principal;
import dev.berth.api.acr.AccessDecision;
import dev.berth.api.acr.AcrDocuments;
import dev.berth.api.acr.Registry;
import dev.berth.api.acr.RegistryLogins;
import dev.berth.api.acr.ScopeMaps;
import dev.berth.api.secrets.SecretSealer;
import dev.berth.identity.Directory;
import dev.berth.registry.AccessRequest;
import dev.berth.registry.RegistryErrorCode;
import dev.berth.registry.RegistryException;
import dev.berth.store.ResourceStore;
import dev.berth.store.StoredResource;
import java.util.ArrayList;
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
 * @see <a
 *     href="https://learn.microsoft.com/azure/container-registry/container-registry-authentication#admin-account">ACR
 *     admin account</a>
 * @see <a
 *     href="https://learn.microsoft.com/azure/container-registry/container-registry-repository-scoped-permissions">ACR
 *     repository-scoped permissions</a>
 */
public final class Credentials {

  /**
   * The username that says "the password is an ACR token" (<a
   * href="https://github.com/Azure/acr/blob/main/docs/AAD-OAuth.md">ACR AAD-OAuth</a>,
   * "Authenticating docker with an ACR refresh token").
   */
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
    String admin = RegistryLogins.adminUsername(registry, adminCredentials(registry));
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

  private Optional<JsonNode> adminCredentials(Registry registry) {
    return store.get(AcrDocuments.adminCredentials(registry.id())).map(StoredResource::body);
  }

  private Caller admin(Registry registry, String admin, String password) {
    Optional<JsonNode> credentials = adminCredentials(registry);
    AccessDecision decision = RegistryLogins.admin(registry, credentials, password, sealer);
    if (decision.refusal(AccessDecision.Reason.WRONG_PASSWORD).isPresent()) {
      for (String unreadable :
          RegistryLogins.unreadableAdminPasswords(registry, credentials, sealer)) {
        LOG.warn("registry '{}': admin password {}", registry.name(), unreadable);
      }
    }
    Challenges.require(decision);
    return new Caller.Admin(admin);
  }

  private static boolean isToken(StoredResource doc) {
    return doc.type().equalsIgnoreCase(AcrDocuments.TOKEN_TYPE);
  }

  private Caller scopeMapToken(Registry registry, StoredResource token, String password) {
    String name = token.id().name();
    Optional<JsonNode> passwords =
        store.get(AcrDocuments.tokenPasswords(token.id())).map(StoredResource::body);
    Challenges.require(
        RegistryLogins.token(registry, name, token.body(), passwords, password, jwt.now()));
    List<String> actions =
        RegistryLogins.scopeMapId(token.body())
            .flatMap(store::get)
            .map(m -> ScopeMaps.actions(m.body()))
            .orElse(List.of());
    return new Caller.ScopeMapToken(name, actions);
  }

  static RegistryException refused(String message) {
    return RegistryException.of(RegistryErrorCode.UNAUTHORIZED, message);
  }
}
