package dev.berth.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Gets service-principal tokens from an Entra-compatible endpoint with the client-credentials grant
 * ({@code POST {authority}/{tenant}/oauth2/v2.0/token}). Thread-safe.
 */
public final class TokenClient {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Transport transport;
  private final Clock clock;

  private TokenClient(Transport transport, Clock clock) {
    this.transport = transport;
    this.clock = clock;
  }

  public static TokenClient create(HttpClient http, Clock clock, Consumer<String> debug) {
    return new TokenClient(new Transport(http, debug), clock);
  }

  /**
   * The scope asking for a token whose audience is the management endpoint: the endpoint without
   * its trailing slash, then {@code /.default}.
   */
  public static String managementScope(URI managementEndpoint) {
    String base = managementEndpoint.toString();
    if (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return base + "/.default";
  }

  /** Requests a token, throwing {@link TokenRequestException} with Entra's error description. */
  public AccessToken clientCredentials(
      URI authority, String tenant, String clientId, String clientSecret, String scope) {
    String base = authority.toString().replaceAll("/+$", "");
    URI uri = URI.create(base + "/" + tenant + "/oauth2/v2.0/token");
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "client_credentials");
    form.put("client_id", clientId);
    form.put("client_secret", clientSecret);
    form.put("scope", scope);
    HttpRequest request = FormPosts.request(uri, form);
    HttpResponse<String> response = transport.send(request);
    JsonNode json = parse(response.body());
    if (response.statusCode() != 200 || !json.hasNonNull("access_token")) {
      String error = json.path("error").asText("");
      String description = json.path("error_description").asText("");
      if (description.isEmpty()) {
        description =
            "token request to " + uri + " failed with HTTP status " + response.statusCode();
      }
      throw new TokenRequestException(
          response.statusCode(), error.isEmpty() ? "token_error" : error, description);
    }
    // expires_in is a number in v2.0 answers and a string in v1 ones; asLong reads both.
    long expiresIn = json.path("expires_in").asLong(3600);
    return new AccessToken(
        json.get("access_token").asText(), clock.instant().plusSeconds(expiresIn));
  }

  private static JsonNode parse(String body) {
    try {
      return JSON.readTree(body == null || body.isBlank() ? "{}" : body);
    } catch (Exception e) {
      return JSON.createObjectNode();
    }
  }
}
