package dev.berth.identity;

import dev.berth.http.HttpExchange;
import dev.berth.http.Route;
import dev.berth.http.RouteHandler;
import dev.berth.http.Router;
import dev.berth.testing.LoopbackServer;
import java.net.URI;
import java.util.List;
import java.util.function.Supplier;
import org.eclipse.jetty.server.Request;

/** One route table served over plain HTTP on a free loopback port. Thread-safe. */
final class TestServer implements AutoCloseable {

  private final LoopbackServer server;

  private TestServer(LoopbackServer server) {
    this.server = server;
  }

  static TestServer start(List<Route<RouteHandler>> routes) {
    return new TestServer(LoopbackServer.http(handler(() -> new Router<>(routes))));
  }

  /**
   * A handler that dispatches to the router {@code router} gives at each request (a test may set
   * its routes only once the server's port is known): 405 and 404 for what matches no route.
   */
  static Request.Handler handler(Supplier<Router<RouteHandler>> router) {
    return (request, response, callback) -> {
      HttpExchange exchange = new HttpExchange(request, response, callback);
      switch (router.get().match(request.getMethod(), exchange.segments())) {
        case Router.Match.Found<RouteHandler> found -> Router.dispatch(found, exchange);
        case Router.Match.MethodNotAllowed<RouteHandler> m -> exchange.sendEmpty(405);
        case Router.Match.NotFound<RouteHandler> n -> exchange.sendEmpty(404);
      }
      return true;
    };
  }

  URI base() {
    return server.uri();
  }

  @Override
  public void close() {
    server.close();
  }
}
