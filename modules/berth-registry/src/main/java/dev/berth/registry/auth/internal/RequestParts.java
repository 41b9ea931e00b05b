package dev.berth.registry.auth.internal;

import dev.berth.http.HttpExchange;
import dev.berth.http.MalformedRequestException;
import dev.berth.http.UrlEncoding;
import dev.berth.registry.AccessRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the parts of a registry auth request: {@code application/x-www-form-urlencoded} bodies,
 * {@code Authorization} headers and Docker scope lists. Stateless.
 */
public final class RequestParts {

  /** Token requests are small; a larger body is not a token request. */
  private static final long FORM_LIMIT = 64 * 1024;

  private RequestParts() {}

  /** A username and password from {@code Authorization: Basic}. */
  public record Basic(String username, String password) {}

  /** True when the request's body is a URL-encoded form (any charset parameter). */
  public static boolean isForm(HttpExchange exchange) {
    return exchange
        .header("Content-Type")
        .map(ct -> ct.toLowerCase(Locale.ROOT).strip())
        .filter(ct -> ct.startsWith("application/x-www-form-urlencoded"))
        .isPresent();
  }

  /**
   * The form's fields, each with every value it was given, in order.
   *
   * @throws MalformedRequestException when an escape is malformed or the body cannot be read
   */
  public static Map<String, List<String>> form(HttpExchange exchange) throws IOException {
    String body = new String(exchange.body(FORM_LIMIT), StandardCharsets.UTF_8);
    Map<String, List<String>> fields = new LinkedHashMap<>();
    UrlEncoding.parse(body, MalformedRequestException.Part.BODY)
        .forEach((k, v) -> fields.computeIfAbsent(k.strip(), x -> new ArrayList<>()).addAll(v));
    return fields;
  }

  /** The first non-empty value of {@code name}. */
  public static Optional<String> first(Map<String, List<String>> fields, String name) {
    return fields.getOrDefault(name, List.of()).stream().filter(v -> !v.isEmpty()).findFirst();
  }

  /** The credentials of {@code Authorization: Basic}, if the header is one and decodes. */
  public static Optional<Basic> basic(HttpExchange exchange) {
    return exchange
        .header("Authorization")
        .map(String::strip)
        .filter(h -> h.regionMatches(true, 0, "Basic ", 0, 6))
        .flatMap(
            h -> {
              try {
                String decoded =
                    new String(
                        Base64.getDecoder().decode(h.substring(6).strip()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                return colon < 0
                    ? Optional.empty()
                    : Optional.of(
                        new Basic(decoded.substring(0, colon), decoded.substring(colon + 1)));
              } catch (IllegalArgumentException e) {
                return Optional.empty();
              }
            });
  }

  /**
   * The IP address the connection comes from, in text, as network rules judge it (the real peer,
   * never a header).
   */
  public static Optional<String> peerAddress(HttpExchange exchange) {
    return exchange
        .remoteAddress()
        .map(InetSocketAddress::getAddress)
        .filter(a -> a != null)
        .map(InetAddress::getHostAddress);
  }

  /** The token of {@code Authorization: Bearer}, if present. */
  public static Optional<String> bearer(HttpExchange exchange) {
    return exchange
        .header("Authorization")
        .map(String::strip)
        .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
        .map(h -> h.substring(7).strip());
  }

  /**
   * Every scope of {@code values}, each of which may be space-separated (OCI conformance) or
   * repeated (containerd); a value that is not a scope is skipped, as distribution does.
   */
  public static List<AccessRequest> scopes(List<String> values) {
    List<AccessRequest> all = new ArrayList<>();
    for (String value : values) {
      for (String one : value.strip().split("\\s+")) {
        if (one.isEmpty()) {
          continue;
        }
        try {
          all.addAll(AccessRequest.parseAll(one));
        } catch (IllegalArgumentException e) {
          // Skipped: a token request is answered with what can be granted.
        }
      }
    }
    return all;
  }
}
