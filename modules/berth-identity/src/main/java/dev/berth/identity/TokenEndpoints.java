package dev.berth.identity;

import dev.berth.api.Principal;
import dev.berth.http.HttpExchange;
import dev.berth.http.Route;
import dev.berth.http.RouteHandler;
import dev.berth.identity.internal.ClientCredentials;
import dev.berth.identity.internal.DiscoveryDocuments;
import dev.berth.identity.internal.EntraError;
import dev.berth.identity.internal.FormBody;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Berth's Entra-compatible token service as a route table: the v2, v1 and ADFS token endpoints
 * (client-credentials grant, and the authorization-code grant of {@link UserSignIn} when given),
 * OIDC discovery, the JWKS and MSAL's instance discovery. The server mounts {@link #routes()} on
 * its HTTPS port. Thread-safe.
 *
 * @see <a
 *     href="https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow">
 *     Entra client-credentials flow</a>
 */
public final class TokenEndpoints {

  /** Token requests are small forms; anything larger is refused before parsing. */
  public static final long BODY_LIMIT = 64 * 1024;

  private static final String DEFAULT_SUFFIX = "/.default";

  private final IdentityConfig config;
  private final Directory directory;
  private final TokenIssuer issuer;
  private final SigningKeys keys;
  private final Optional<UserSignIn> signIn;

  /** The token service for service principals only (no people's sign-in). */
  public TokenEndpoints(
      IdentityConfig config, Directory directory, TokenIssuer issuer, SigningKeys keys) {
    this(config, directory, issuer, keys, Optional.empty());
  }

  /**
   * @param signIn people's sign-in (authorize routes and the authorization-code grant), when
   *     present
   */
  public TokenEndpoints(
      IdentityConfig config,
      Directory directory,
      TokenIssuer issuer,
      SigningKeys keys,
      Optional<UserSignIn> signIn) {
    this.config = Objects.requireNonNull(config);
    this.directory = Objects.requireNonNull(directory);
    this.issuer = Objects.requireNonNull(issuer);
    this.keys = Objects.requireNonNull(keys);
    this.signIn = Objects.requireNonNull(signIn);
  }

  /** The route table; literal {@code adfs}/{@code common} routes outrank {@code {tenant}} ones. */
  public List<Route<RouteHandler>> routes() {
    List<Route<RouteHandler>> routes =
        new ArrayList<>(signIn.map(UserSignIn::routes).orElse(List.of()));
    routes.addAll(tokenRoutes());
    return List.copyOf(routes);
  }

  private List<Route<RouteHandler>> tokenRoutes() {
    return List.of(
        Route.of("POST", "/{tenant}/oauth2/v2.0/token", ex -> token(ex, Flavour.V2)),
        Route.of("POST", "/{tenant}/oauth2/token", ex -> token(ex, Flavour.V1)),
        Route.of("POST", "/adfs/oauth2/token", ex -> token(ex, Flavour.ADFS)),
        Route.of("GET", "/{tenant}/v2.0/.well-known/openid-configuration", this::discoveryV2),
        Route.of("GET", "/{tenant}/.well-known/openid-configuration", this::discoveryV1),
        Route.of("GET", "/adfs/.well-known/openid-configuration", this::discoveryAdfs),
        Route.of("GET", "/{tenant}/discovery/v2.0/keys", this::jwks),
        Route.of("GET", "/{tenant}/discovery/keys", this::jwks),
        Route.of("GET", "/adfs/discovery/keys", this::jwks),
        Route.of("GET", "/common/discovery/instance", this::instanceDiscovery));
  }

  /** Which endpoint a token request came to. */
  private enum Flavour {
    V1,
    V2,
    ADFS
  }

  private void token(HttpExchange ex, Flavour flavour) {
    String tenant = flavour == Flavour.ADFS ? config.tenantId() : ex.pathVar("tenant");
    if (!isOurTenant(tenant)) {
      fail(ex, EntraError.unknownTenant(tenant, "invalid_request"));
      return;
    }
    FormBody form;
    try {
      String type = ex.header("Content-Type").orElse("application/x-www-form-urlencoded");
      if (!type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
        fail(
            ex,
            EntraError.badRequest("The request body must be application/x-www-form-urlencoded."));
        return;
      }
      form = FormBody.parse(ex.body(BODY_LIMIT));
    } catch (HttpExchange.BodyTooLargeException e) {
      fail(ex, EntraError.bodyTooLarge(BODY_LIMIT));
      return;
    } catch (IOException | IllegalArgumentException e) {
      fail(ex, EntraError.badRequest("The request body is not a valid form."));
      return;
    }
    // claims (the CP1 capability az sends) and client_info are accepted and ignored.
    Optional<String> grant = form.get("grant_type");
    if (grant.isEmpty()) {
      fail(ex, EntraError.missingParameter("grant_type"));
      return;
    }
    if (grant.get().equals("authorization_code") && flavour == Flavour.V2 && signIn.isPresent()) {
      signIn.get().redeem(ex, form);
      return;
    }
    if (!grant.get().equals("client_credentials")) {
      fail(ex, EntraError.unsupportedGrant(grant.get()));
      return;
    }
    ClientCredentials.Result client = ClientCredentials.from(ex, form);
    if (client.error().isPresent()) {
      fail(ex, client.error().get());
      return;
    }
    String clientId = client.clientId();
    Optional<Principal> principal = directory.authenticate(clientId, client.clientSecret());
    if (principal.isEmpty()) {
      fail(
          ex,
          directory.findByAppId(clientId).isPresent()
              ? EntraError.invalidSecret(clientId)
              : EntraError.unknownClient(clientId, config.tenantId()));
      return;
    }
    String audience;
    if (flavour == Flavour.V1) {
      Optional<String> resource = form.get("resource");
      if (resource.isEmpty()) {
        fail(ex, EntraError.missingParameter("resource"));
        return;
      }
      audience = resource.get().strip();
    } else {
      Optional<String> scope = form.get("scope");
      if (scope.isEmpty()) {
        fail(ex, EntraError.missingParameter("scope"));
        return;
      }
      Optional<String> resource = resourceOfScope(scope.get());
      if (resource.isEmpty()) {
        fail(ex, EntraError.invalidScope(scope.get()));
        return;
      }
      audience = resource.get();
    }
    if (!config.issuesFor(audience)) {
      fail(ex, EntraError.invalidResource(audience, config.tenantId()));
      return;
    }
    TokenIssuer.Version version =
        flavour == Flavour.V1 ? TokenIssuer.Version.V1 : TokenIssuer.Version.V2;
    TokenIssuer.IssuedToken token = issuer.issue(principal.get(), audience, version);
    ex.setHeader("Cache-Control", "no-store, no-cache");
    ex.setHeader("Pragma", "no-cache");
    ex.sendJson(200, tokenResponse(token, flavour));
  }

  private Map<String, Object> tokenResponse(TokenIssuer.IssuedToken token, Flavour flavour) {
    Instant now = token.issuedAt();
    long expiresIn = token.expiresInSeconds(now);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("token_type", "Bearer");
    if (flavour == Flavour.V1) {
      // Entra's v1 endpoint writes every number as a string.
      body.put("expires_in", Long.toString(expiresIn));
      body.put("ext_expires_in", Long.toString(expiresIn));
      body.put("expires_on", Long.toString(token.expiresAt().getEpochSecond()));
      body.put("not_before", Long.toString(now.getEpochSecond()));
      body.put("resource", token.audience());
    } else {
      body.put("expires_in", expiresIn);
      body.put("ext_expires_in", expiresIn);
    }
    body.put("access_token", token.accessToken());
    return body;
  }

  /**
   * The resource a client-credentials scope names: the one scope ending in {@code /.default}, with
   * exactly that suffix removed ({@code https://h:8443//.default} gives {@code https://h:8443/}).
   * OIDC scopes MSAL may add are ignored.
   */
  static Optional<String> resourceOfScope(String scope) {
    String found = null;
    for (String s : scope.trim().split("\\s+")) {
      if (s.equals("openid") || s.equals("profile") || s.equals("offline_access")) {
        continue;
      }
      if (found != null || !s.endsWith(DEFAULT_SUFFIX) || s.length() == DEFAULT_SUFFIX.length()) {
        return Optional.empty();
      }
      found = s.substring(0, s.length() - DEFAULT_SUFFIX.length());
    }
    return Optional.ofNullable(found);
  }

  private void discoveryV2(HttpExchange ex) {
    if (checkTenant(ex)) {
      ex.sendJson(200, DiscoveryDocuments.tenant(ex.baseUrl(), config.tenantId(), true));
    }
  }

  private void discoveryV1(HttpExchange ex) {
    if (checkTenant(ex)) {
      ex.sendJson(200, DiscoveryDocuments.tenant(ex.baseUrl(), config.tenantId(), false));
    }
  }

  private void discoveryAdfs(HttpExchange ex) {
    ex.sendJson(200, DiscoveryDocuments.adfs(ex.baseUrl(), config.tenantId(), config.issuer()));
  }

  private void jwks(HttpExchange ex) {
    String tenant = ex.pathVar("tenant");
    if (tenant != null && !isOurTenant(tenant)) {
      fail(ex, EntraError.unknownTenant(tenant, "invalid_tenant"));
      return;
    }
    ex.sendJson(200, keys.publicJwksJson());
  }

  private void instanceDiscovery(HttpExchange ex) {
    ex.sendJson(200, DiscoveryDocuments.instance(ex.baseUrl(), config.tenantId()));
  }

  private boolean checkTenant(HttpExchange ex) {
    String tenant = ex.pathVar("tenant");
    if (isOurTenant(tenant)) {
      return true;
    }
    fail(ex, EntraError.unknownTenant(tenant, "invalid_tenant"));
    return false;
  }

  /** Berth has one tenant; {@code common} and {@code organizations} resolve to it. */
  private boolean isOurTenant(String tenant) {
    return isOurTenant(config, tenant);
  }

  static boolean isOurTenant(IdentityConfig config, String tenant) {
    return tenant != null
        && (tenant.equalsIgnoreCase(config.tenantId())
            || tenant.equalsIgnoreCase("common")
            || tenant.equalsIgnoreCase("organizations"));
  }

  private void fail(HttpExchange ex, EntraError error) {
    error.send(ex, config.clock());
  }
}
