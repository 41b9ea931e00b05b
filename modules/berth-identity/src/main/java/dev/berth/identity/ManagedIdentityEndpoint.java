package dev.berth.identity;

import dev.berth.http.HttpExchange;
import dev.berth.http.MalformedRequestException;
import dev.berth.http.Route;
import dev.berth.http.RouteHandler;
import dev.berth.identity.internal.IdentitySelector;
import dev.berth.identity.internal.ManagedIdentityError;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The token endpoint replicas reach through {@code IDENTITY_ENDPOINT}: Azure App Service's
 * managed-identity protocol, version 2019-08-01, as Azure Container Apps serves it. A replica sends
 * {@code GET /msi/token?resource=…&api-version=2019-08-01[&client_id=…]} with the header {@code
 * X-IDENTITY-HEADER: $IDENTITY_HEADER}; the header's secret, sent from the replica's own address,
 * decides which app's identities it may use ({@link ReplicaIdentityTable}), so one app can never
 * obtain another's tokens, and a header read elsewhere is worth nothing. Mount {@link #routes()} on
 * a listener only replicas reach. Thread-safe.
 *
 * @see <a
 *     href="https://learn.microsoft.com/azure/container-apps/managed-identity#rest-endpoint-reference">
 *     ACA managed identity REST endpoint reference</a>
 */
public final class ManagedIdentityEndpoint {

  /**
   * The path of {@code IDENTITY_ENDPOINT}, as ACA serves it ({@code localhost:42356/msi/token}).
   */
  public static final String PATH = "/msi/token";

  /** The one protocol version served, the one MSAL and azure-identity send. */
  public static final String API_VERSION = "2019-08-01";

  /** The request header that carries the replica's secret. */
  public static final String HEADER = "X-IDENTITY-HEADER";

  /**
   * The variable that tells a replica the endpoint's URL. Set it and {@link #HEADER_ENV} only:
   * {@code IDENTITY_SERVER_THUMBPRINT} or {@code IMDS_ENDPOINT} would send MSAL to another source.
   */
  public static final String ENDPOINT_ENV = "IDENTITY_ENDPOINT";

  /** The variable that holds a replica's own secret, which it sends in {@link #HEADER}. */
  public static final String HEADER_ENV = "IDENTITY_HEADER";

  private static final String DEFAULT_SUFFIX = "/.default";

  private final IdentityConfig config;
  private final TokenIssuer issuer;
  private final ReplicaIdentityTable replicas;

  public ManagedIdentityEndpoint(
      IdentityConfig config, TokenIssuer issuer, ReplicaIdentityTable replicas) {
    this.config = Objects.requireNonNull(config);
    this.issuer = Objects.requireNonNull(issuer);
    this.replicas = Objects.requireNonNull(replicas);
  }

  /** The route table: GET serves tokens; the other methods get a 405 that MSAL can read. */
  public List<Route<RouteHandler>> routes() {
    return List.of(
        Route.of("GET", PATH, this::token),
        Route.of("POST", PATH, this::methodNotAllowed),
        Route.of("PUT", PATH, this::methodNotAllowed),
        Route.of("PATCH", PATH, this::methodNotAllowed),
        Route.of("DELETE", PATH, this::methodNotAllowed));
  }

  private void token(HttpExchange ex) {
    try {
      answer(ex);
    } catch (MalformedRequestException e) {
      ManagedIdentityError.malformed(e.getMessage()).send(ex);
    }
  }

  private void answer(HttpExchange ex) {
    Optional<String> secret = ex.header(HEADER).filter(s -> !s.isBlank());
    if (secret.isEmpty()) {
      ManagedIdentityError.missingHeader(HEADER, HEADER_ENV).send(ex);
      return;
    }
    // The header counts only from its own replica's address; from anywhere else it is as unknown
    // as a wrong one (same status, same words: the caller learns nothing).
    Optional<List<BoundIdentity>> identities =
        ex.remoteAddress()
            .map(InetSocketAddress::getAddress)
            .flatMap(from -> replicas.forRequest(secret.get(), from));
    if (identities.isEmpty()) {
      ManagedIdentityError.unknownHeader(HEADER, HEADER_ENV).send(ex);
      return;
    }
    Optional<String> version = ex.query("api-version");
    if (!version.map(API_VERSION::equals).orElse(false)) {
      ManagedIdentityError.wrongApiVersion(version.orElse(null), API_VERSION).send(ex);
      return;
    }
    Optional<String> resource = ex.query("resource").map(ManagedIdentityEndpoint::audienceOf);
    if (resource.isEmpty() || resource.get().isEmpty()) {
      ManagedIdentityError.missingResource().send(ex);
      return;
    }
    String audience = resource.get();
    if (!config.issuesFor(audience)) {
      ManagedIdentityError.unknownResource(audience).send(ex);
      return;
    }
    IdentitySelector.Result selected = IdentitySelector.select(ex.queryParams(), identities.get());
    if (selected.error().isPresent()) {
      selected.error().get().send(ex);
      return;
    }
    BoundIdentity identity = selected.identity().orElseThrow();
    // Managed-identity tokens for ARM are v1 tokens, as Entra issues them for resource= requests.
    TokenIssuer.IssuedToken token =
        issuer.issue(identity.principal(), audience, TokenIssuer.Version.V1);
    ex.setHeader("Cache-Control", "no-store, no-cache");
    ex.sendJson(200, response(token, identity));
  }

  /**
   * The audience a {@code resource} names: as given, except that a scope's {@code /.default} is
   * dropped ({@code https://management.azure.com/.default} → {@code https://management.azure.com}),
   * so a client that sends a scope gets the token its v2 login would have given.
   */
  static String audienceOf(String resource) {
    String r = resource.strip();
    return r.endsWith(DEFAULT_SUFFIX) ? r.substring(0, r.length() - DEFAULT_SUFFIX.length()) : r;
  }

  /** App Service's body: every field a string, {@code expires_on} in epoch seconds. */
  private static Map<String, Object> response(TokenIssuer.IssuedToken token, BoundIdentity id) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("access_token", token.accessToken());
    body.put("expires_on", Long.toString(token.expiresAt().getEpochSecond()));
    body.put("resource", token.audience());
    body.put("token_type", "Bearer");
    body.put("client_id", id.principal().appId());
    return body;
  }

  private void methodNotAllowed(HttpExchange ex) {
    ex.setHeader("Allow", "GET");
    ManagedIdentityError.methodNotAllowed(ex.method()).send(ex);
  }
}
