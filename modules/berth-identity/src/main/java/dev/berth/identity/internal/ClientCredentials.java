package dev.berth.identity.internal;

import dev.berth.http.HttpExchange;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Reads a client's id and secret from HTTP Basic authentication ({@code client_secret_basic}) or
 * from the form ({@code client_secret_post}), as RFC 6749 §2.3.1 allows. Stateless.
 */
public final class ClientCredentials {

  /** The credentials found, or the error to answer with. */
  public record Result(String clientId, String clientSecret, Optional<EntraError> error) {

    static Result ok(String id, String secret) {
      return new Result(id, secret, Optional.empty());
    }

    static Result failed(EntraError e) {
      return new Result(null, null, Optional.of(e));
    }
  }

  private ClientCredentials() {}

  public static Result from(HttpExchange exchange, FormBody form) {
    Optional<String> auth = exchange.header("Authorization");
    if (auth.isPresent() && auth.get().regionMatches(true, 0, "Basic ", 0, 6)) {
      return fromBasic(auth.get().substring(6).strip());
    }
    Optional<String> id = form.get("client_id");
    if (id.isEmpty()) {
      return Result.failed(EntraError.missingParameter("client_id"));
    }
    Optional<String> secret = form.get("client_secret");
    if (secret.isEmpty()) {
      return Result.failed(
          new EntraError(
              401,
              "invalid_client",
              7000218,
              "The request body must contain the following parameter: 'client_assertion' or"
                  + " 'client_secret'."));
    }
    return Result.ok(id.get(), secret.get());
  }

  private static Result fromBasic(String encoded) {
    try {
      String pair = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
      int colon = pair.indexOf(':');
      if (colon <= 0) {
        return Result.failed(EntraError.badRequest("The Basic credentials are malformed."));
      }
      // Basic credentials are form-encoded before base64 (RFC 6749 §2.3.1).
      return Result.ok(
          URLDecoder.decode(pair.substring(0, colon), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(colon + 1), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      return Result.failed(EntraError.badRequest("The Basic credentials are malformed."));
    }
  }
}
