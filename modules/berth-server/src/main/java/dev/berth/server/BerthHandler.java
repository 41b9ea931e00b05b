package dev.berth.server;

import dev.berth.api.ArmErrorCode;
import dev.berth.api.acr.Registry;
import dev.berth.http.HttpExchange;
import dev.berth.http.MalformedRequestException;
import dev.berth.http.RouteHandler;
import dev.berth.http.Router;
import dev.berth.portal.Portal;
import dev.berth.registry.RegistryErrorCode;
import dev.berth.registry.RegistryHttp;
import dev.berth.store.StoreUnavailableException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The front door of Berth's HTTPS ports: a registry's login server goes to the registry, the
 * portal's pages to the portal, the token-service routes to the identity module, everything else to
 * the ARM API. Runs each request on a virtual thread, where handlers may block. Thread-safe.
 */
final class BerthHandler extends Handler.Abstract {

  private static final Logger LOG = LoggerFactory.getLogger(BerthHandler.class);

  /** The fallback API: serves every request the token routes do not. */
  @FunctionalInterface
  interface Api {
    void handle(HttpExchange exchange) throws Exception;
  }

  /** Finds the registry a request is for: by the port it came in on, or by Host in DNS mode. */
  interface Registries {
    /** Whether the port or Host is a login server's, without asking the store which. */
    boolean addresses(int localPort, String host);

    Optional<Registry> registryFor(int localPort, String host);
  }

  private final Router<RouteHandler> tokenRoutes;
  private final Api arm;
  private final Registries registries;
  private final RegistryHttp registry;

  private final int identityPort;
  private final Optional<Router<RouteHandler>> identityRoutes;
  private final Api portal;

  BerthHandler(
      Router<RouteHandler> tokenRoutes,
      Api arm,
      Registries registries,
      RegistryHttp registry,
      int identityPort,
      Optional<Router<RouteHandler>> identityRoutes,
      Api portal) {
    this.portal = portal;
    this.identityPort = identityPort;
    this.identityRoutes = identityRoutes;
    this.tokenRoutes = tokenRoutes;
    this.arm = arm;
    this.registries = registries;
    this.registry = registry;
  }

  /** Whose envelope an error is answered in: the API the request reached. */
  private enum Envelope {
    ARM,
    ENTRA,
    REGISTRY,
    MANAGED_IDENTITY
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    HttpExchange exchange = new HttpExchange(request, response, callback);
    Envelope envelope = Envelope.ARM;
    try {
      if (Request.getLocalPort(request) == identityPort && identityRoutes.isPresent()) {
        envelope = Envelope.MANAGED_IDENTITY;
        // The managed-identity endpoint's listener serves that endpoint and nothing else.
        if (identityRoutes.get().match(exchange.method(), exchange.segments())
            instanceof Router.Match.Found<RouteHandler> found) {
          Router.dispatch(found, exchange);
        } else {
          exchange.sendJson(
              404, Map.of("error", "not_found", "error_description", "no such endpoint"));
        }
        return true;
      }
      int port = Request.getLocalPort(request);
      String host = Request.getServerName(request);
      // A login server's errors are the registry's, even before the store says which one it is.
      envelope = registries.addresses(port, host) ? Envelope.REGISTRY : Envelope.ARM;
      Optional<Registry> target = registries.registryFor(port, host);
      if (target.isPresent()) {
        registry.handle(exchange, target.get());
        return true;
      }
      envelope = Envelope.ARM; // no such registry: the APIs below answer, as they would anyway
      if (Portal.serves(exchange.rawPath())) {
        // The portal answers its own errors as pages; a bug still falls through to the 500 below.
        portal.handle(exchange);
        return true;
      }
      if (tokenRoutes.match(exchange.method(), exchange.segments())
          instanceof Router.Match.Found<RouteHandler> found) {
        envelope = Envelope.ENTRA;
        Router.dispatch(found, exchange);
      } else {
        arm.handle(exchange);
      }
    } catch (MalformedRequestException e) {
      // The client's bytes, not a bug: a 400 in the envelope of the API it reached, no trace.
      LOG.debug("malformed {} {}: {}", exchange.method(), exchange.rawPath(), e.getMessage());
      if (!exchange.isSent()) {
        exchange.sendJson(400, clientError(envelope, e));
      }
    } catch (StoreUnavailableException e) {
      // The database is down or restarting: not a fault of Berth's, and the client may retry.
      LOG.warn(
          "{} {}: the store is unavailable: {}",
          exchange.method(),
          exchange.rawPath(),
          e.getMessage());
      if (!exchange.isSent()) {
        exchange.setHeader("Retry-After", StoreUnavailableException.RETRY_AFTER_SECONDS);
        exchange.sendJson(503, unavailable(envelope));
      }
    } catch (Exception | Error e) {
      // The APIs answer their own errors; reaching here is a bug in Berth, not bad input.
      LOG.error("unhandled error serving {} {}", exchange.method(), exchange.rawPath(), e);
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

  /** The 503 body while the store cannot be reached, as the API it reached words its errors. */
  static Map<String, Object> unavailable(Envelope envelope) {
    String message = StoreUnavailableException.ADVICE;
    return switch (envelope) {
      case ARM ->
          Map.of(
              "error", Map.of("code", ArmErrorCode.ServiceUnavailable.name(), "message", message));
      case ENTRA, MANAGED_IDENTITY ->
          Map.of("error", "temporarily_unavailable", "error_description", message);
      case REGISTRY ->
          Map.of(
              "errors",
              List.of(Map.of("code", RegistryErrorCode.UNAVAILABLE.name(), "message", message)));
    };
  }

  /** The 400 body of a malformed request, as the API it reached words its errors. */
  static Map<String, Object> clientError(Envelope envelope, MalformedRequestException e) {
    String message = e.getMessage();
    return switch (envelope) {
      case ARM ->
          Map.of(
              "error",
              Map.of(
                  "code",
                  e.part() == MalformedRequestException.Part.BODY
                      ? "InvalidRequestContent"
                      : "InvalidRequestFormat",
                  "message",
                  "The request is not valid: " + message + "."));
      case ENTRA, MANAGED_IDENTITY ->
          Map.of("error", "invalid_request", "error_description", message);
      case REGISTRY ->
          Map.of(
              "errors",
              List.of(
                  Map.of(
                      "code",
                      e.part() == MalformedRequestException.Part.PATH
                          ? "NAME_INVALID"
                          : "UNSUPPORTED",
                      "message",
                      message)));
    };
  }
}
