package dev.berth.registry.auth;

import dev.berth.api.Principal;
import dev.berth.api.acr.Registry;
import dev.berth.api.secrets.SecretSealer;
import dev.berth.http.HttpExchange;
import dev.berth.http.MalformedRequestException;
import dev.berth.identity.Directory;
import dev.berth.identity.IdentityConfig;
import dev.berth.identity.RbacAuthorizer;
import dev.berth.identity.RbacAuthorizer.RoleGrant;
import dev.berth.identity.SigningKeys;
import dev.berth.identity.TokenRejectedException;
import dev.berth.identity.TokenVerifier;
import dev.berth.identity.VerifiedToken;
import dev.berth.registry.AccessRequest;
import dev.berth.registry.RegistryErrorCode;
import dev.berth.registry.RegistryException;
import dev.berth.registry.auth.internal.AcrJwt;
import dev.berth.registry.auth.internal.Caller;
import dev.berth.registry.auth.internal.Challenges;
import dev.berth.registry.auth.internal.Credentials;
import dev.berth.registry.auth.internal.RegistryPermissions;
import dev.berth.registry.auth.internal.RequestParts;
import dev.berth.store.ResourceStore;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * ACR's token server on a registry's login server: {@code POST /oauth2/exchange} turns an Entra
 * token into an ACR refresh token (3 h); {@code POST|GET /oauth2/token} turns a refresh token,
 * credentials or nothing (anonymous pull) into an ACR access token (75 min) holding the
 * intersection of the requested scopes and what the caller may do. Tokens of an Entra principal are
 * refused once the principal is deleted. Thread-safe.
 *
 * @see <a href="https://github.com/Azure/acr/blob/main/docs/AAD-OAuth.md">ACR AAD-OAuth</a> (the
 *     exchange, the token endpoint, the token claims)
 */
public final class AcrTokenService {

  /**
   * How long an ACR refresh token lasts: 3 hours, as <a
   * href="https://learn.microsoft.com/azure/container-registry/container-registry-authentication">ACR
   * authentication</a> says of {@code az acr login}'s token.
   */
  public static final Duration REFRESH_TOKEN_LIFETIME = Duration.ofHours(3);

  /**
   * How long an ACR access token lasts: 75 minutes, the {@code exp - iat} of the access token in <a
   * href="https://github.com/Azure/acr/blob/main/docs/AAD-OAuth.md">ACR AAD-OAuth</a>.
   */
  public static final Duration ACCESS_TOKEN_LIFETIME = Duration.ofMinutes(75);

  private final IdentityConfig config;
  private final TokenVerifier verifier;
  private final RbacAuthorizer rbac;
  private final AcrJwt jwt;
  private final Credentials credentials;

  /**
   * @param config Berth's identity configuration: tenant, management audiences, clock
   * @param verifier checks the Entra tokens given to {@code /oauth2/exchange}
   * @param directory the service principals that may log in with appId and secret
   * @param rbac role assignments, read on every token request so role changes apply at once
   * @param keys signs the ACR tokens ({@link AcrAccess} must get the same keys)
   * @param store where admin credentials, tokens and scope maps live ({@code AcrDocuments})
   * @param principals finds a principal by object id, as the verifier does (service principals and
   *     managed identities): a refresh token whose principal was deleted is refused
   */
  public AcrTokenService(
      IdentityConfig config,
      TokenVerifier verifier,
      Directory directory,
      RbacAuthorizer rbac,
      SigningKeys keys,
      ResourceStore store,
      Function<String, Optional<Principal>> principals,
      SecretSealer sealer) {
    this.config = Objects.requireNonNull(config);
    this.verifier = Objects.requireNonNull(verifier);
    this.rbac = Objects.requireNonNull(rbac);
    this.jwt = new AcrJwt(keys, config.clock());
    this.credentials = new Credentials(store, directory, principals, jwt, sealer);
  }

  /**
   * Answers a request to {@code /oauth2/exchange} or {@code /oauth2/token} of {@code registry},
   * errors included (ACR's envelope); any {@code api-version} query parameter is ignored.
   */
  public void handle(HttpExchange exchange, Registry registry) {
    String path = exchange.rawPath().toLowerCase(Locale.ROOT);
    String method = exchange.method().toUpperCase(Locale.ROOT);
    try {
      if (path.equals("/oauth2/exchange")) {
        if (!method.equals("POST")) {
          exchange.sendEmpty(404); // ACR answers GET /oauth2/exchange with 404 (acr issue 166).
          return;
        }
        requireNetwork(exchange, registry);
        exchange.sendJson(200, Map.of("refresh_token", exchangeToken(exchange, registry)));
      } else if (path.equals("/oauth2/token")) {
        if (!method.equals("POST") && !method.equals("GET")) {
          throw RegistryException.of(
              RegistryErrorCode.METHOD_UNKNOWN, "use GET or POST on /oauth2/token");
        }
        requireNetwork(exchange, registry);
        String token =
            method.equals("POST")
                ? tokenFromForm(exchange, registry)
                : tokenFromQuery(exchange, registry);
        exchange.sendJson(200, Map.of("access_token", token));
      } else {
        exchange.sendEmpty(404);
      }
    } catch (RegistryException e) {
      Challenges.send(exchange, e);
    } catch (HttpExchange.BodyTooLargeException e) {
      Challenges.send(exchange, refused("the form is too large for a token request"));
    } catch (MalformedRequestException e) {
      Challenges.send(exchange, refused(e.getMessage()));
    } catch (IOException e) {
      // The client went away mid-body; there is nobody left to answer.
      if (!exchange.isSent()) {
        Challenges.send(exchange, refused("the request body could not be read"));
      }
    }
  }

  // ---- /oauth2/exchange -------------------------------------------------------------------------

  private String exchangeToken(HttpExchange exchange, Registry registry) throws IOException {
    Map<String, List<String>> form = requireForm(exchange);
    String grantType = RequestParts.first(form, "grant_type").orElse("");
    if (grantType.equals("refresh_token") || grantType.equals("access_token_refresh_token")) {
      throw refused(
          "grant_type '"
              + grantType
              + "' (an Entra refresh token) is deprecated and not supported: send"
              + " grant_type=access_token with an Entra access token for "
              + IdentityConfig.REGISTRY_AUDIENCE);
    }
    if (!grantType.equals("access_token")) {
      throw refused("grant_type must be 'access_token', not '" + grantType + "'");
    }
    requireService(registry, RequestParts.first(form, "service"));
    Optional<String> tenant = RequestParts.first(form, "tenant");
    if (tenant.isPresent() && !tenant.get().equalsIgnoreCase(config.tenantId())) {
      throw refused(
          "tenant '" + tenant.get() + "' is not this Berth's tenant '" + config.tenantId() + "'");
    }
    String entraToken =
        RequestParts.first(form, "access_token")
            .orElseThrow(() -> refused("access_token is required"));
    Principal principal = verifyEntraToken(registry, entraToken);
    List<RoleGrant> grants = rbac.grants(principal, registry.id());
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("grant_type", "refresh_token");
    claims.put("tenant", config.tenantId());
    claims.put("permissions", permissions(registry, grants));
    claims.put("roles", List.of());
    if (registry.abacMode()) {
      // acr-cli detects ABAC registries by this claim and then asks for named repositories only.
      claims.put("aad_identity", Map.of("oid", principal.objectId(), "tid", config.tenantId()));
    }
    return jwt.sign(principal.objectId(), registry, REFRESH_TOKEN_LIFETIME, claims);
  }

  private Principal verifyEntraToken(Registry registry, String token) {
    Set<String> registryAudiences =
        Set.of(IdentityConfig.REGISTRY_AUDIENCE, IdentityConfig.REGISTRY_AUDIENCE + "/");
    Set<String> all = new LinkedHashSet<>(registryAudiences);
    all.addAll(config.managementAudiences());
    VerifiedToken verified;
    try {
      verified = verifier.verify(token, all);
    } catch (TokenRejectedException e) {
      throw refused(
          "the Entra access token was refused: "
              + e.getMessage()
              + (e.reason() == TokenRejectedException.Reason.WRONG_AUDIENCE
                  ? ". Request a token for " + IdentityConfig.REGISTRY_AUDIENCE
                  : ""));
    }
    boolean registryAudience =
        registryAudiences.stream().anyMatch(a -> a.equalsIgnoreCase(verified.audience().strip()));
    Challenges.require(registry.exchange(!registryAudience));
    return verified.principal();
  }

  /** The refresh token's informational {@code permissions}: the ACR (data) actions held. */
  private static Map<String, List<String>> permissions(Registry registry, List<RoleGrant> grants) {
    Set<String> actions = new LinkedHashSet<>();
    Set<String> notActions = new LinkedHashSet<>();
    for (RoleGrant g : grants) {
      for (var p : g.role().permissions()) {
        actions.addAll(registry.abacMode() ? p.dataActions() : p.actions());
        notActions.addAll(registry.abacMode() ? p.notDataActions() : p.notActions());
      }
    }
    return Map.of("actions", List.copyOf(actions), "notActions", List.copyOf(notActions));
  }

  // ---- /oauth2/token ----------------------------------------------------------------------------

  private String tokenFromForm(HttpExchange exchange, Registry registry) throws IOException {
    Map<String, List<String>> form = requireForm(exchange);
    requireService(registry, RequestParts.first(form, "service"));
    List<AccessRequest> wanted = RequestParts.scopes(form.getOrDefault("scope", List.of()));
    Optional<String> refreshToken = RequestParts.first(form, "refresh_token");
    String grantType =
        RequestParts.first(form, "grant_type")
            .orElse(refreshToken.isPresent() ? "refresh_token" : "password");
    Caller caller =
        switch (grantType) {
          case "refresh_token" -> {
            String rt = refreshToken.orElseThrow(() -> refused("refresh_token is required"));
            yield credentials.resolve(registry, Credentials.NULL_GUID, rt, true);
          }
          case "password" -> {
            Optional<String> username = RequestParts.first(form, "username");
            Optional<String> password = RequestParts.first(form, "password");
            yield username.isEmpty() && password.isEmpty()
                ? new Caller.Anonymous()
                : credentials.resolve(registry, username.orElse(""), password.orElse(""), true);
          }
          default ->
              throw refused(
                  "grant_type must be 'refresh_token' or 'password', not '" + grantType + "'");
        };
    return accessToken(registry, caller, wanted);
  }

  private String tokenFromQuery(HttpExchange exchange, Registry registry) {
    requireService(registry, exchange.query("service"));
    List<AccessRequest> wanted =
        RequestParts.scopes(exchange.queryParams().getOrDefault("scope", List.of()));
    Optional<RequestParts.Basic> basic = RequestParts.basic(exchange);
    Caller caller;
    if (basic.isPresent()) {
      caller = credentials.resolve(registry, basic.get().username(), basic.get().password(), true);
    } else if (exchange.header("Authorization").isPresent()) {
      throw refused("only Basic credentials (or none, for anonymous pull) are accepted here");
    } else {
      caller = new Caller.Anonymous();
    }
    return accessToken(registry, caller, wanted);
  }

  private String accessToken(Registry registry, Caller caller, List<AccessRequest> wanted) {
    if (caller instanceof Caller.Anonymous) {
      Challenges.require(registry.anonymousPull());
    }
    List<RoleGrant> grants =
        caller instanceof Caller.Entra e ? rbac.grants(e.principal(), registry.id()) : List.of();
    List<AccessRequest> granted = RegistryPermissions.grant(registry, caller, grants, wanted);
    List<Map<String, Object>> access = new ArrayList<>();
    for (AccessRequest a : granted) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("type", a.type());
      entry.put("name", a.name());
      entry.put("actions", a.actions());
      access.add(entry);
    }
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("access", access);
    claims.put("roles", List.of());
    claims.put("grant_type", "access_token");
    // Whose token it is, so the data plane can stop honouring it once that principal is deleted.
    caller.principalId().ifPresent(oid -> claims.put(Credentials.PRINCIPAL_CLAIM, oid));
    return jwt.sign(caller.subject(), registry, ACCESS_TOKEN_LIFETIME, claims);
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private static Map<String, List<String>> requireForm(HttpExchange exchange) throws IOException {
    if (!RequestParts.isForm(exchange)) {
      throw RegistryException.of(
          RegistryErrorCode.UNSUPPORTED, "the body must be application/x-www-form-urlencoded");
    }
    return RequestParts.form(exchange);
  }

  private static void requireNetwork(HttpExchange exchange, Registry registry) {
    Challenges.require(registry.network().decide(RequestParts.peerAddress(exchange)));
  }

  private static void requireService(Registry registry, Optional<String> service) {
    if (service.isEmpty()) {
      throw refused("service is required: send service=" + registry.loginServer());
    }
    if (!service.get().strip().equalsIgnoreCase(registry.loginServer())) {
      throw refused(
          "service '"
              + service.get()
              + "' is not this registry: its login server is '"
              + registry.loginServer()
              + "'");
    }
  }

  private static RegistryException refused(String message) {
    return RegistryException.of(RegistryErrorCode.UNAUTHORIZED, message);
  }
}
