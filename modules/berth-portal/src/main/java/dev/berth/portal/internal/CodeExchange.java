package dev.berth.portal.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.portal.PortalSettings;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Redeems an authorization code at Berth's token service ({@code POST
 * {authority}/{tenant}/oauth2/v2.0/token}, with the PKCE verifier) and reads who signed in from the
 * access token's claims. The claims are read, not verified: the token came straight from Berth's
 * own token service over TLS the portal trusts (its CA), in answer to a code only this sign-in
 * holds; the API verifies the signature on every call the portal makes with it (docs/portal.md).
 * Thread-safe.
 */
final class CodeExchange {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** What the token service said when it refused, in its own words (Entra's envelope). */
  static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    private final String error;

    Refused(String error, String description) {
      super(description, null, false, false);
      this.error = error;
    }

    String error() {
      return error;
    }
  }

  /**
   * Who signed in, and the token the portal acts with.
   *
   * @param accessToken the ARM token; never rendered or logged
   * @param user the name the portal shows ({@code name}, else {@code preferred_username})
   * @param objectId the person's object id ({@code oid})
   * @param expiresAt the token's {@code exp}
   * @param nonce the ID token's nonce, or empty when no ID token came back
   */
  record SignedIn(
      String accessToken, String user, String objectId, Instant expiresAt, String nonce) {
    @Override
    public String toString() {
      return "SignedIn[user=" + user + ", expiresAt=" + expiresAt + "]";
    }
  }

  private final PortalSettings settings;

  CodeExchange(PortalSettings settings) {
    this.settings = settings;
  }

  /** The authorize endpoint the browser is sent to. */
  URI authorizeEndpoint() {
    return endpoint("authorize");
  }

  /** Redeems {@code code}; throws {@link Refused} with the token service's error. */
  SignedIn redeem(String code, String redirectUri, String verifier)
      throws Refused, IOException, InterruptedException {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "authorization_code");
    form.put("client_id", PortalSettings.CLIENT_ID);
    form.put("code", code);
    form.put("redirect_uri", redirectUri);
    form.put("code_verifier", verifier);
    HttpRequest request =
        HttpRequest.newBuilder(endpoint("token"))
            .timeout(TIMEOUT)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(encode(form)))
            .build();
    HttpResponse<String> response =
        settings.http().send(request, HttpResponse.BodyHandlers.ofString());
    JsonNode body = parse(response.body());
    String accessToken = body.path("access_token").asText("");
    if (response.statusCode() != 200 || accessToken.isEmpty()) {
      String error = body.path("error").asText("");
      String description = body.path("error_description").asText("");
      throw new Refused(
          error.isEmpty() ? "token_error" : error,
          description.isEmpty()
              ? "The token service answered HTTP " + response.statusCode() + "."
              : description);
    }
    JsonNode claims = claims(accessToken);
    String oid = claims.path("oid").asText("");
    long exp = claims.path("exp").asLong(0);
    if (oid.isEmpty() || exp <= 0) {
      throw new Refused("invalid_token", "The access token names no user (oid) or no expiry.");
    }
    String user = claims.path("name").asText("");
    if (user.isEmpty()) {
      user = claims.path("preferred_username").asText(oid);
    }
    String idToken = body.path("id_token").asText("");
    String nonce = idToken.isEmpty() ? "" : claims(idToken).path("nonce").asText("");
    return new SignedIn(accessToken, user, oid, Instant.ofEpochSecond(exp), nonce);
  }

  /** A JWT's claims (its middle part), read without checking the signature (see the class). */
  static JsonNode claims(String jwt) throws Refused {
    String[] parts = jwt.split("\\.", -1);
    if (parts.length != 3) {
      throw new Refused("invalid_token", "The token service sent a token that is not a JWT.");
    }
    try {
      return JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
    } catch (IOException | IllegalArgumentException e) {
      throw new Refused(
          "invalid_token", "The token service sent a token whose claims are not JSON.");
    }
  }

  private URI endpoint(String name) {
    String authority = settings.authority().toString().replaceAll("/+$", "");
    return URI.create(authority + "/" + settings.tenantId() + "/oauth2/v2.0/" + name);
  }

  static String encode(Map<String, String> form) {
    return form.entrySet().stream()
        .map(
            e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  private static JsonNode parse(String body) {
    try {
      return JSON.readTree(body == null || body.isBlank() ? "{}" : body);
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }
}
