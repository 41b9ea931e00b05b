package dev.berth.runtime.image.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.api.acr.AuthChallenge;
import dev.berth.runtime.image.PullException;
import dev.berth.runtime.image.PullException.Reason;
import dev.berth.runtime.image.PullException.Step;
import dev.berth.runtime.image.RegistryCredential;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Answers a registry's challenge for a pull of one repository: {@code GET /v2/}, then what the
 * {@code WWW-Authenticate} header asks for. For a Bearer challenge a managed identity goes through
 * ACR's {@code POST /oauth2/exchange} (Entra token → refresh token) and {@code POST /oauth2/token}
 * (refresh token → access token); a user name and password, or nobody, use the docker-style {@code
 * GET <realm>?scope=&service=}. For a Basic challenge the password is sent on every request.
 * Stateless; thread-safe.
 *
 * @see <a href="https://azure.github.io/acr/AAD-OAuth.html">ACR AAD OAuth</a>
 */
final class RegistryAuthenticator {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int TOKEN_LIMIT = 1 << 20;
  private static final String FORM = "application/x-www-form-urlencoded";

  /**
   * The {@code Authorization} header value for pulling {@code repository}, or empty when the
   * registry asks for none.
   */
  Optional<String> authorize(
      RegistryEndpoint endpoint, String repository, RegistryCredential credential)
      throws PullException {
    Optional<AuthChallenge> challenge = ping(endpoint);
    if (challenge.isEmpty()) {
      return Optional.empty();
    }
    AuthChallenge c = challenge.get();
    if (c.isBasic()) {
      return switch (credential) {
        case RegistryCredential.Basic basic -> Optional.of(basicHeader(basic));
        case RegistryCredential.Anonymous anonymous -> Optional.empty();
        case RegistryCredential.ManagedIdentity identity ->
            throw new PullException(
                Reason.UNAUTHORIZED,
                Step.PING,
                401,
                null,
                "GET "
                    + endpoint.resolve("/v2/")
                    + ": the registry asks for Basic authentication; managed identity "
                    + identity.identity()
                    + " can only answer a Bearer (token) challenge",
                null);
      };
    }
    if (!c.isBearer()) {
      throw PullErrors.invalid(
          Step.PING,
          "GET",
          endpoint.resolve("/v2/").toString(),
          "unsupported authentication scheme '" + c.scheme() + "'");
    }
    URI realm = realm(endpoint, c);
    Map<String, String> scope = new LinkedHashMap<>();
    c.parameter("service").ifPresent(service -> scope.put("service", service));
    scope.put("scope", "repository:" + repository + ":pull");
    String token =
        switch (credential) {
          case RegistryCredential.ManagedIdentity identity ->
              exchangeAndToken(endpoint, realm, scope, identity);
          case RegistryCredential.Basic basic ->
              tokenByGet(endpoint, realm, scope, Optional.of(basicHeader(basic)));
          case RegistryCredential.Anonymous anonymous ->
              tokenByGet(endpoint, realm, scope, Optional.empty());
        };
    return Optional.of("Bearer " + token);
  }

  private Optional<AuthChallenge> ping(RegistryEndpoint endpoint) throws PullException {
    URI uri = endpoint.resolve("/v2/");
    try (RegistryTransport.Answer answer = endpoint.send(Step.PING, "GET", uri, r -> {})) {
      if (answer.status() == 200) {
        return Optional.empty();
      }
      byte[] body = read(answer, Step.PING, "GET", uri.toString());
      if (answer.status() != 401) {
        throw PullErrors.fromResponse(
            Step.PING, "GET", uri.toString(), answer.status(), body, Optional.empty());
      }
      return Optional.of(
          answer
              .header("WWW-Authenticate")
              .flatMap(AuthChallenge::parse)
              .orElseThrow(
                  () ->
                      PullErrors.invalid(
                          Step.PING,
                          "GET",
                          uri.toString(),
                          "401 without a WWW-Authenticate challenge")));
    }
  }

  private static URI realm(RegistryEndpoint endpoint, AuthChallenge challenge)
      throws PullException {
    String where = endpoint.resolve("/v2/").toString();
    String realm =
        challenge
            .parameter("realm")
            .orElseThrow(
                () -> PullErrors.invalid(Step.PING, "GET", where, "Bearer challenge has no realm"));
    try {
      URI uri = URI.create(realm);
      if (uri.getScheme() == null || uri.getHost() == null) {
        throw new IllegalArgumentException("not absolute");
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw PullErrors.invalid(Step.PING, "GET", where, "Bearer realm is not a URL: " + realm);
    }
  }

  private String exchangeAndToken(
      RegistryEndpoint endpoint,
      URI realm,
      Map<String, String> scope,
      RegistryCredential.ManagedIdentity identity)
      throws PullException {
    String entraToken;
    try {
      entraToken = identity.entraToken().get();
    } catch (RuntimeException e) {
      throw new PullException(
          Reason.UNAUTHORIZED,
          Step.EXCHANGE,
          0,
          null,
          "no Entra token for managed identity " + identity.identity() + ": " + e.getMessage(),
          e);
    }
    URI exchange = realm.resolve("/oauth2/exchange");
    Map<String, String> shown = new LinkedHashMap<>();
    if (scope.containsKey("service")) {
      shown.put("service", scope.get("service"));
    }
    Map<String, String> form = new LinkedHashMap<>(shown);
    form.put("grant_type", "access_token");
    form.put("access_token", entraToken);
    String refreshToken =
        postForToken(endpoint, Step.EXCHANGE, exchange, form, shown, "refresh_token");

    Map<String, String> tokenForm = new LinkedHashMap<>(scope);
    tokenForm.put("grant_type", "refresh_token");
    tokenForm.put("refresh_token", refreshToken);
    return postForToken(endpoint, Step.TOKEN, realm, tokenForm, scope, "access_token");
  }

  private String postForToken(
      RegistryEndpoint endpoint,
      Step step,
      URI uri,
      Map<String, String> form,
      Map<String, String> shown,
      String field)
      throws PullException {
    String display = uri + "?" + FormEncoding.encode(shown);
    try (RegistryTransport.Answer answer =
        endpoint.send(
            step,
            "POST",
            uri,
            r ->
                r.body(
                    new StringRequestContent(
                        FORM, FormEncoding.encode(form), StandardCharsets.UTF_8)))) {
      byte[] body = read(answer, step, "POST", display);
      if (answer.status() != 200) {
        throw PullErrors.fromResponse(
            step, "POST", display, answer.status(), body, Optional.empty());
      }
      return tokenField(body, step, "POST", display, field);
    }
  }

  private String tokenByGet(
      RegistryEndpoint endpoint,
      URI realm,
      Map<String, String> scope,
      Optional<String> authorization)
      throws PullException {
    String separator = realm.getRawQuery() == null ? "?" : "&";
    URI uri = URI.create(realm + separator + FormEncoding.encode(scope));
    try (RegistryTransport.Answer answer =
        endpoint.send(
            Step.TOKEN,
            "GET",
            uri,
            r ->
                authorization.ifPresent(a -> r.headers(h -> h.put(HttpHeader.AUTHORIZATION, a))))) {
      byte[] body = read(answer, Step.TOKEN, "GET", uri.toString());
      if (answer.status() != 200) {
        throw PullErrors.fromResponse(
            Step.TOKEN, "GET", uri.toString(), answer.status(), body, Optional.empty());
      }
      // docker's token servers answer "token", ACR answers "access_token"
      return tokenField(body, Step.TOKEN, "GET", uri.toString(), "token", "access_token");
    }
  }

  private static String tokenField(
      byte[] body, Step step, String method, String display, String... fields)
      throws PullException {
    try {
      JsonNode answer = JSON.readTree(body);
      for (String field : fields) {
        JsonNode value = answer.path(field);
        if (value.isTextual() && !value.asText().isEmpty()) {
          return value.asText();
        }
      }
    } catch (IOException e) {
      // reported below, without echoing the body: it may hold a token
    }
    throw PullErrors.invalid(
        step, method, display, "the answer has no '" + String.join("' or '", fields) + "'");
  }

  private static byte[] read(RegistryTransport.Answer answer, Step step, String method, String url)
      throws PullException {
    try {
      return answer.bytes(TOKEN_LIMIT);
    } catch (IOException e) {
      throw PullErrors.invalid(step, method, url, "unreadable answer: " + e.getMessage());
    }
  }

  private static String basicHeader(RegistryCredential.Basic basic) {
    String pair = basic.username() + ":" + basic.password();
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }
}
