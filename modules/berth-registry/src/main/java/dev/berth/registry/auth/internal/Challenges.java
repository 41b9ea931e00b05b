package dev.berth.registry.auth.internal;

import dev.berth.api.acr.AccessDecision;
import dev.berth.api.acr.Registry;
import dev.berth.http.HttpExchange;
import dev.berth.registry.AccessRequest;
import dev.berth.registry.RegistryErrorCode;
import dev.berth.registry.RegistryException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Builds ACR's 401 challenge and writes registry errors in the {@code {"errors":[…]}} envelope.
 * Stateless.
 *
 * @see <a href="https://github.com/Azure/acr/blob/main/docs/AAD-OAuth.md">ACR AAD-OAuth</a> (the
 *     challenge)
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#error-codes">OCI
 *     distribution spec, error codes</a>
 */
public final class Challenges {

  /** ACR's current UNAUTHORIZED text. */
  public static final String AUTHENTICATION_REQUIRED =
      "authentication required, visit https://aka.ms/acr/authorization for more information.";

  private Challenges() {}

  /**
   * A 401 {@code UNAUTHORIZED} whose {@code Www-Authenticate} names the token realm, service and
   * the wanted scopes; {@code error} ({@code invalid_token}, {@code insufficient_scope}) is
   * appended when not null.
   */
  public static RegistryException unauthorized(
      Registry registry, List<AccessRequest> wanted, String error) {
    StringBuilder header =
        new StringBuilder("Bearer realm=\"https://")
            .append(registry.loginServer())
            .append("/oauth2/token\",service=\"")
            .append(registry.loginServer())
            .append('"');
    if (!wanted.isEmpty()) {
      header
          .append(",scope=\"")
          .append(wanted.stream().map(AccessRequest::toString).collect(Collectors.joining(" ")))
          .append('"');
    }
    if (error != null) {
      header.append(",error=\"").append(error).append('"');
    }
    List<Map<String, String>> detail = new ArrayList<>();
    for (AccessRequest w : wanted) {
      for (String action : w.actions()) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("Type", w.type());
        d.put("Name", w.name());
        d.put("Action", action);
        detail.add(d);
      }
    }
    return new RegistryException(
        RegistryErrorCode.UNAUTHORIZED,
        AUTHENTICATION_REQUIRED,
        detail.isEmpty() ? null : detail,
        Map.of("Www-Authenticate", header.toString()));
  }

  /**
   * Goes on when {@code decision} grants; otherwise throws the registry's answer to its first
   * refusal: the reason's status and code, the refusal's message.
   */
  public static void require(AccessDecision decision) {
    Optional<AccessDecision.Refusal> refusal = decision.answer();
    if (refusal.isPresent()) {
      throw RegistryException.of(
          RegistryErrorCode.valueOf(refusal.get().reason().code()), refusal.get().message());
    }
  }

  /** Writes {@code e} as ACR does: its status, headers and the errors envelope. */
  public static void send(HttpExchange exchange, RegistryException e) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("code", e.code().name());
    error.put("message", e.getMessage());
    if (e.detail() != null) {
      error.put("detail", e.detail());
    }
    e.headers().forEach(exchange::setHeader);
    exchange.setHeader("Docker-Distribution-Api-Version", "registry/2.0");
    exchange.sendJson(e.status(), Map.of("errors", List.of(error)));
  }
}
