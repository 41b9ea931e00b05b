package dev.berth.identity.internal;

import dev.berth.http.HttpExchange;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One Entra token-service error: the OAuth {@code error}, the {@code AADSTS} code and text, and the
 * HTTP status, written in Entra's body shape {@code {error, error_description, error_codes,
 * timestamp, trace_id, correlation_id}}. The catalog below is every error the token service sends.
 */
public record EntraError(int status, String error, int code, String description) {

  public static EntraError missingParameter(String name) {
    return new EntraError(
        400,
        "invalid_request",
        900144,
        "The request body must contain the following parameter: '" + name + "'.");
  }

  public static EntraError badRequest(String text) {
    return new EntraError(400, "invalid_request", 900144, text);
  }

  public static EntraError bodyTooLarge(long limit) {
    return new EntraError(
        413, "invalid_request", 900144, "The request body is larger than " + limit + " bytes.");
  }

  public static EntraError unknownTenant(String tenant, String error) {
    return new EntraError(
        400,
        error,
        90002,
        "Tenant '"
            + tenant
            + "' not found. Check to make sure you have the correct tenant ID and are signing into"
            + " the correct cloud.");
  }

  public static EntraError unsupportedGrant(String grant) {
    return new EntraError(
        400,
        "unsupported_grant_type",
        70003,
        "The app requested an unsupported grant type '" + grant + "'.");
  }

  public static EntraError invalidScope(String scope) {
    return new EntraError(
        400,
        "invalid_scope",
        1002012,
        "The provided value for scope "
            + scope
            + " is not valid. Client credential flows must have a scope value with /.default"
            + " suffixed to the resource identifier (application ID URI).");
  }

  public static EntraError invalidResource(String resource, String tenant) {
    return new EntraError(
        400,
        "invalid_resource",
        500011,
        "The resource principal named "
            + resource
            + " was not found in the tenant named "
            + tenant
            + ". This can happen if the application has not been installed by the administrator"
            + " of the tenant or consented to by any user in the tenant. You might have sent your"
            + " authentication request to the wrong tenant.");
  }

  public static EntraError unknownClient(String clientId, String tenant) {
    return new EntraError(
        400,
        "unauthorized_client",
        700016,
        "Application with identifier '"
            + clientId
            + "' was not found in the directory '"
            + tenant
            + "'.");
  }

  public static EntraError invalidSecret(String clientId) {
    return new EntraError(
        401,
        "invalid_client",
        7000215,
        "Invalid client secret provided. Ensure the secret being sent in the request is the"
            + " client secret value, not the client secret ID, for a secret added to app '"
            + clientId
            + "'.");
  }

  /** An error of the authorization-code grant ({@code invalid_grant}): the code or its bindings. */
  public static EntraError invalidGrant(int code, String description) {
    return new EntraError(400, "invalid_grant", code, description);
  }

  public static EntraError unknownCode() {
    return invalidGrant(70000, "The provided value for the 'code' parameter is not valid.");
  }

  public static EntraError codeRedeemed() {
    return invalidGrant(
        54005,
        "OAuth2 Authorization code was already redeemed, please retry with a new valid code.");
  }

  public static EntraError codeExpired() {
    return invalidGrant(
        70008,
        "The provided authorization code has expired. Send a new interactive authorization"
            + " request for this user and resource.");
  }

  public static EntraError redirectMismatch(String given) {
    return invalidGrant(
        500112,
        "The reply address '"
            + given
            + "' does not match the reply address provided when requesting the authorization"
            + " code.");
  }

  public static EntraError verifierMismatch() {
    return invalidGrant(
        501481,
        "The Code_Verifier does not match the code_challenge supplied in the authorization"
            + " request.");
  }

  public static EntraError userGone() {
    return invalidGrant(50034, "The user account does not exist in the directory.");
  }

  /** Writes the error with fresh trace and correlation ids (Entra sends both on every error). */
  public void send(HttpExchange exchange, Clock clock) {
    String trace = UUID.randomUUID().toString();
    String correlation =
        exchange.header("client-request-id").filter(EntraError::isUuid).orElse(trace);
    String timestamp =
        DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", error);
    body.put(
        "error_description",
        "AADSTS"
            + code
            + ": "
            + description
            + " Trace ID: "
            + trace
            + " Correlation ID: "
            + correlation
            + " Timestamp: "
            + timestamp);
    body.put("error_codes", List.of(code));
    body.put("timestamp", timestamp);
    body.put("trace_id", trace);
    body.put("correlation_id", correlation);
    exchange.setHeader("Cache-Control", "no-store");
    exchange.setHeader("Pragma", "no-cache");
    exchange.setHeader("x-ms-request-id", trace);
    exchange.sendJson(status, body);
  }

  private static boolean isUuid(String s) {
    try {
      UUID.fromString(s);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
