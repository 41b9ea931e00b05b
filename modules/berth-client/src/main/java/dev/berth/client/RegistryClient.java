package dev.berth.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.acr.AuthChallenge;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A client for one ACR-compatible login server over HTTPS: reads its challenge ({@code GET /v2/}),
 * exchanges an Entra token for a refresh token, and sends data-plane requests ({@code /acr/v1/…})
 * the challenge-driven way — send, on 401 read the scope from {@code WWW-Authenticate}, get an
 * access token for it with the refresh token, retry once. Thread-safe.
 *
 * @see <a href="https://github.com/Azure/acr/blob/main/docs/AAD-OAuth.md">ACR AAD-OAuth</a>
 */
public final class RegistryClient {

  /** A {@code Link: <…>; rel="next"} header, as the catalog and tag lists page. */
  private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");

  private final Transport transport;
  private final RegistryTokenClient authenticator;
  private final URI base;
  private final Optional<String> refreshToken;
  private volatile String accessToken;

  private RegistryClient(
      Transport transport, URI base, Optional<String> refreshToken, String accessToken) {
    this.transport = transport;
    this.authenticator = new RegistryTokenClient(transport);
    this.base = base;
    this.refreshToken = refreshToken;
    this.accessToken = accessToken;
  }

  /** A client for {@code loginServer} ({@code host[:port]}); https, as az hard-codes it. */
  public static RegistryClient create(HttpClient http, String loginServer, Consumer<String> debug) {
    return new RegistryClient(
        new Transport(http, debug), URI.create("https://" + loginServer), Optional.empty(), null);
  }

  /** The same login server, authenticating data-plane calls with this ACR refresh token. */
  public RegistryClient withRefreshToken(String refresh) {
    return new RegistryClient(transport, base, Optional.of(refresh), null);
  }

  /**
   * The login server's challenge: {@code GET /v2/} without credentials must answer 401 with a
   * Bearer challenge holding {@code realm} and {@code service}. Any other answer is an error (a 403
   * keeps its status, so callers can say the network rules refuse this client).
   */
  public AuthChallenge challenge() {
    HttpResponse<String> response = send("GET", "/v2/", null);
    int status = response.statusCode();
    if (status == 401) {
      Optional<AuthChallenge> challenge =
          response.headers().firstValue("WWW-Authenticate").flatMap(AuthChallenge::parse);
      if (challenge.isPresent()
          && challenge.get().isBearer()
          && challenge.get().realm().isPresent()
          && challenge.get().service().isPresent()) {
        return challenge.get();
      }
    }
    if (status == 403) {
      throw RegistryResponses.error(status, RegistryResponses.parse(response.body()));
    }
    throw new RegistryCallException(
        status,
        "CONNECTIVITY_CHALLENGE_ERROR",
        "Login server "
            + base.getRawAuthority()
            + " answered GET /v2/ with status "
            + status
            + " instead of a 401 Bearer challenge with realm and service.");
  }

  /** {@code POST /oauth2/exchange}: the ACR refresh token for an Entra access token. */
  public String exchange(AuthChallenge challenge, String tenant, String entraToken) {
    return authenticator.exchange(challenge, tenant, entraToken);
  }

  /** {@code GET path} (with its query), authenticated; the JSON body. */
  public JsonNode get(String path) {
    return RegistryResponses.checked(authenticated("GET", path));
  }

  /** Every page of a list, following {@code Link: <…>; rel="next"}. */
  public List<JsonNode> getPages(String path) {
    List<JsonNode> pages = new ArrayList<>();
    String next = path;
    while (next != null) {
      HttpResponse<String> response = authenticated("GET", next);
      pages.add(RegistryResponses.checked(response));
      next = response.headers().firstValue("Link").flatMap(RegistryClient::nextLink).orElse(null);
    }
    return pages;
  }

  /** {@code DELETE path}, authenticated; the JSON body (missing when there is none). */
  public JsonNode delete(String path) {
    return RegistryResponses.checked(authenticated("DELETE", path));
  }

  /**
   * {@code PUT /v2/<repository>/manifests/<reference>} with the manifest's media type; its digest
   * as the registry computed it ({@code Docker-Content-Digest}).
   */
  public String putManifest(String repository, String reference, String mediaType, byte[] body) {
    HttpResponse<String> r =
        authenticated(
            "PUT",
            "/v2/" + repository + "/manifests/" + reference,
            () -> HttpRequest.BodyPublishers.ofByteArray(body),
            HttpResponse.BodyHandlers.ofString(),
            mediaType);
    if (r.statusCode() != 201) {
      throw RegistryResponses.error(r.statusCode(), RegistryResponses.parse(r.body()));
    }
    return r.headers().firstValue("Docker-Content-Digest").orElse("");
  }

  /** Blob upload and download in this registry, with the same authentication. */
  public RegistryBlobs blobs() {
    return new RegistryBlobs(this, transport);
  }

  private HttpResponse<String> authenticated(String method, String path) {
    return authenticated(
        method, path, HttpRequest.BodyPublishers::noBody, HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Sends with the current access token; on a 401 whose challenge names a scope, gets a token for
   * that scope and sends once more (so {@code body} must be able to publish twice).
   */
  <T> HttpResponse<T> authenticated(
      String method,
      String path,
      Supplier<HttpRequest.BodyPublisher> body,
      HttpResponse.BodyHandler<T> handler) {
    return authenticated(method, path, body, handler, "application/octet-stream");
  }

  /** As {@link #authenticated(String, String, Supplier, HttpResponse.BodyHandler)}, typed. */
  <T> HttpResponse<T> authenticated(
      String method,
      String path,
      Supplier<HttpRequest.BodyPublisher> body,
      HttpResponse.BodyHandler<T> handler,
      String contentType) {
    HttpResponse<T> response = send(method, path, accessToken, body.get(), handler, contentType);
    if (response.statusCode() != 401 || refreshToken.isEmpty()) {
      return response;
    }
    Optional<AuthChallenge> challenge =
        response.headers().firstValue("WWW-Authenticate").flatMap(AuthChallenge::parse);
    if (challenge.isEmpty() || challenge.get().scope().isEmpty()) {
      return response;
    }
    discard(response);
    accessToken =
        authenticator.accessToken(
            challenge.get(), challenge.get().scope().get(), refreshToken.get());
    return send(method, path, accessToken, body.get(), handler, contentType);
  }

  /** An absolute URI for a path on the login server (or an absolute URL as it is). */
  URI resolve(String path) {
    return path.startsWith("https://") || path.startsWith("http://")
        ? URI.create(path)
        : URI.create(base + (path.startsWith("/") ? "" : "/") + path);
  }

  private <T> HttpResponse<T> send(
      String method,
      String path,
      String bearer,
      HttpRequest.BodyPublisher body,
      HttpResponse.BodyHandler<T> handler) {
    return send(method, path, bearer, body, handler, "application/octet-stream");
  }

  private <T> HttpResponse<T> send(
      String method,
      String path,
      String bearer,
      HttpRequest.BodyPublisher body,
      HttpResponse.BodyHandler<T> handler,
      String contentType) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(resolve(path))
            .timeout(Duration.ofMinutes(30))
            .header("Accept", "application/json")
            .header("User-Agent", "berth-cli")
            .method(method, body);
    if (body.contentLength() != 0) {
      builder.header("Content-Type", contentType);
    }
    if (bearer != null) {
      builder.header("Authorization", "Bearer " + bearer);
    }
    return transport.send(builder.build(), handler);
  }

  private HttpResponse<String> send(String method, String path, String bearer) {
    return send(
        method,
        path,
        bearer,
        HttpRequest.BodyPublishers.noBody(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Closes a streamed body we will not read, so its connection can be reused. */
  private static void discard(HttpResponse<?> response) {
    if (response.body() instanceof InputStream in) {
      try {
        in.close();
      } catch (IOException e) {
        // nothing to do: the connection is dropped instead of reused
      }
    }
  }

  private static Optional<String> nextLink(String header) {
    Matcher m = NEXT_LINK.matcher(header);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }
}
