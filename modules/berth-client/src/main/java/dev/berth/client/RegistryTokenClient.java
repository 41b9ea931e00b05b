package dev.berth.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.acr.AuthChallenge;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The two token steps of ACR's Entra flow: exchange an Entra token for an ACR refresh token ({@code
 * POST /oauth2/exchange}), and trade the refresh token for an access token of one scope ({@code
 * POST /oauth2/token}). Thread-safe.
 *
 * @see <a href="https://github.com/Azure/acr/blob/main/docs/AAD-OAuth.md">ACR AAD-OAuth</a>
 */
final class RegistryTokenClient {

  private final Transport transport;

  RegistryTokenClient(Transport transport) {
    this.transport = transport;
  }

  /**
   * The ACR refresh token for an Entra access token. Like az, it posts to the realm's host (not
   * necessarily the login server) with the challenge's {@code service} and the account's tenant.
   */
  String exchange(AuthChallenge challenge, String tenant, String entraToken) {
    URI origin = challenge.realmOrigin().orElseThrow(() -> missing(challenge, "realm"));
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "access_token");
    form.put("service", challenge.service().orElseThrow(() -> missing(challenge, "service")));
    form.put("tenant", tenant);
    form.put("access_token", entraToken);
    JsonNode body = post(URI.create(origin + "/oauth2/exchange"), form);
    return field(body, "refresh_token", "/oauth2/exchange");
  }

  /** An access token for {@code scope} (as the challenge wrote it), from a refresh token. */
  String accessToken(AuthChallenge challenge, String scope, String refreshToken) {
    URI realm = URI.create(challenge.realm().orElseThrow(() -> missing(challenge, "realm")));
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "refresh_token");
    form.put("service", challenge.service().orElseThrow(() -> missing(challenge, "service")));
    form.put("scope", scope);
    form.put("refresh_token", refreshToken);
    JsonNode body = post(realm, form);
    return field(body, "access_token", "/oauth2/token");
  }

  private JsonNode post(URI uri, Map<String, String> form) {
    HttpRequest request = FormPosts.request(uri, form);
    HttpResponse<String> response = transport.send(request);
    return RegistryResponses.checked(response);
  }

  private static String field(JsonNode body, String name, String endpoint) {
    String value = body.path(name).asText("");
    if (value.isEmpty()) {
      throw new RegistryCallException(
          200, "TOKEN_ERROR", "The answer of " + endpoint + " holds no " + name + ".");
    }
    return value;
  }

  private static RegistryCallException missing(AuthChallenge challenge, String parameter) {
    return new RegistryCallException(
        401,
        "CONNECTIVITY_CHALLENGE_ERROR",
        "The registry's challenge has no " + parameter + ": " + challenge);
  }
}
