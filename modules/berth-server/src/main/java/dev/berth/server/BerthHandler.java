package dev.berth.server;

import dev.berth.http.HttpExchange;
import dev.berth.http.Router;
import dev.berth.registry.Registry;
import dev.berth.registry.RegistryHttp;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The front door of Berth's HTTPS ports: a registry's login server goes to the registry, the
 * token-service routes to the identity module, everything else to the ARM API. Runs each request on
 * a virtual thread, where handlers may block. Thread-safe.
 */
final class BerthHandler extends Handler.Abstract {

  private static final Logger LOG = LoggerFactory.getLogger(BerthHandler.class);

  /** The fallback API: serves every request the token routes do not. */
  @FunctionalInterface
  interface Api {
    void handle(HttpExchange exchange) throws Exception;
  }

  /** Finds the registry a request is for: by the port it came in on, or by Host in DNS mode. */
  @FunctionalInterface
  interface Registries {
    Optional<Registry> registryFor(int localPort, String host);
  }

  private final Router tokenRoutes;
  private final Api arm;
  private final Registries registries;
  private final RegistryHttp registry;

  private final int identityPort;
  private final Optional<Router> identityRoutes;

  BerthHandler(
      Router tokenRoutes,
      Api arm,
      Registries registries,
      RegistryHttp registry,
      int identityPort,
      Optional<Router> identityRoutes) {
    this.identityPort = identityPort;
    this.identityRoutes = identityRoutes;
    this.tokenRoutes = tokenRoutes;
    this.arm = arm;
    this.registries = registries;
    this.registry = registry;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    HttpExchange exchange = new HttpExchange(request, response, callback);
    try {
      if (Request.getLocalPort(request) == identityPort && identityRoutes.isPresent()) {
        // The managed-identity endpoint's listener serves that endpoint and nothing else.
        if (identityRoutes.get().match(exchange.method(), exchange.segments())
            instanceof Router.Match.Found found) {
          Router.dispatch(found, exchange);
        } else {
          exchange.sendJson(
              404, java.util.Map.of("error", "not_found", "error_description", "no such endpoint"));
        }
        return true;
      }
      Optional<Registry> target =
          registries.registryFor(Request.getLocalPort(request), Request.getServerName(request));
      if (target.isPresent()) {
        registry.handle(exchange, target.get());
        return true;
      }
      if (tokenRoutes.match(exchange.method(), exchange.segments())
          instanceof Router.Match.Found found) {
        Router.dispatch(found, exchange);
      } else {
        arm.handle(exchange);
      }
    } catch (Exception | Error e) {
      // The APIs answer their own errors; reaching here is a bug in Berth, not bad input.
      LOG.error("unhandled error serving {} {}", exchange.method(), exchange.path(), e);
      if (!exchange.isSent()) {
        exchange.send(
            500,
            "application/json; charset=utf-8",
            "{\"error\":{\"code\":\"InternalServerError\",\"message\":\"Berth failed to serve this request.\"}}"
                .getBytes(StandardCharsets.UTF_8));
      } else {
        callback.failed(e);
      }
    }
    return true;
  }
}
