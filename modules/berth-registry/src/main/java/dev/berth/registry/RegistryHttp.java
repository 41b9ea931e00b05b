package dev.berth.registry;

import dev.berth.api.acr.Registry;
import dev.berth.http.HttpExchange;
import java.util.Locale;

/**
 * Everything a login server answers, in one place: the ACR token service under {@code /oauth2/},
 * the distribution and ACR metadata endpoints under {@code /v2/} and {@code /acr/v1/}. Thread-safe.
 */
public final class RegistryHttp {

  /** Serves one family of a login server's paths. */
  @FunctionalInterface
  public interface Endpoint {
    void handle(HttpExchange exchange, Registry registry) throws Exception;
  }

  private final Endpoint tokens;
  private final Endpoint distribution;

  public RegistryHttp(Endpoint tokens, Endpoint distribution) {
    this.tokens = tokens;
    this.distribution = distribution;
  }

  public void handle(HttpExchange exchange, Registry registry) throws Exception {
    // The raw path: decoding it may fail, and each endpoint answers that in its own envelope.
    String path = exchange.rawPath().toLowerCase(Locale.ROOT);
    if (path.equals("/oauth2") || path.startsWith("/oauth2/")) {
      tokens.handle(exchange, registry);
    } else {
      distribution.handle(exchange, registry);
    }
  }
}
