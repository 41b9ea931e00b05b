package dev.berth.identity.internal;

import dev.berth.http.HttpExchange;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One error of the managed-identity endpoint, written as {@code {error, error_description}}: the
 * shape MSAL reads when the body has no {@code message} (MSAL4J {@code
 * AbstractManagedIdentitySource.getMessageFromErrorResponse}). The catalog below is every error the
 * endpoint sends. None of the statuses is one MSAL retries (404, 408, 429, 5xx).
 */
public record ManagedIdentityError(int status, String error, String description) {

  /** ACA answers a missing or wrong {@code X-IDENTITY-HEADER} with 403 (its Kestrel front end). */
  public static ManagedIdentityError missingHeader(String header, String envVar) {
    return new ManagedIdentityError(
        403,
        "forbidden",
        "The "
            + header
            + " header is missing. Send the value of the "
            + envVar
            + " environment variable in it.");
  }

  public static ManagedIdentityError unknownHeader(String header, String envVar) {
    return new ManagedIdentityError(
        403,
        "forbidden",
        "The "
            + header
            + " header does not belong to a running replica. Read "
            + envVar
            + " again from the environment: each replica gets its own value.");
  }

  public static ManagedIdentityError wrongApiVersion(String given, String supported) {
    return new ManagedIdentityError(
        400,
        "invalid_request",
        given == null
            ? "The api-version query parameter is missing; send api-version=" + supported + "."
            : "The api-version '"
                + given
                + "' is not supported; send api-version="
                + supported
                + ".");
  }

  public static ManagedIdentityError missingResource() {
    return new ManagedIdentityError(
        400,
        "invalid_request",
        "The resource query parameter is missing: name the audience of the token, such as"
            + " resource=https://management.azure.com/.");
  }

  public static ManagedIdentityError unknownResource(String resource) {
    return new ManagedIdentityError(
        400,
        "invalid_resource",
        "Berth does not issue tokens for the resource '"
            + resource
            + "'. It issues them for Azure Resource Manager (https://management.azure.com/ and"
            + " Berth's own management audiences) and for the container registry"
            + " (https://containerregistry.azure.net).");
  }

  public static ManagedIdentityError severalIds(List<String> given) {
    return new ManagedIdentityError(
        400,
        "invalid_request",
        "Send at most one of client_id, principal_id, object_id and mi_res_id; the request has "
            + String.join(", ", given)
            + ".");
  }

  public static ManagedIdentityError emptyId(String parameter) {
    return new ManagedIdentityError(
        400, "invalid_request", "The " + parameter + " query parameter is empty.");
  }

  public static ManagedIdentityError noSystemIdentity() {
    return new ManagedIdentityError(
        400,
        "invalid_identity",
        "This container app has no system-assigned managed identity. Enable one (az containerapp"
            + " identity assign --system-assigned), or name a user-assigned identity with"
            + " client_id, principal_id, object_id or mi_res_id.");
  }

  public static ManagedIdentityError unknownIdentity(String parameter, String value) {
    return new ManagedIdentityError(
        400,
        "invalid_identity",
        "No user-assigned identity with "
            + parameter
            + " '"
            + value
            + "' is assigned to this container app. Assign it (az containerapp identity assign"
            + " --user-assigned <id>) and restart the replica, or check the id.");
  }

  /** A query the endpoint cannot decode (a malformed {@code %} escape). */
  public static ManagedIdentityError malformed(String why) {
    return new ManagedIdentityError(
        400, "invalid_request", "The request is not valid: " + why + ".");
  }

  public static ManagedIdentityError methodNotAllowed(String method) {
    return new ManagedIdentityError(
        405,
        "method_not_allowed",
        "The managed-identity endpoint answers GET only, not " + method + ".");
  }

  /** Writes the error, with a fresh correlation id in {@code x-ms-request-id}. */
  public void send(HttpExchange exchange) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", error);
    body.put("error_description", description);
    exchange.setHeader("Cache-Control", "no-store");
    exchange.setHeader("x-ms-request-id", UUID.randomUUID().toString());
    exchange.sendJson(status, body);
  }
}
