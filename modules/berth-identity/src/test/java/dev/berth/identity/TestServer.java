package dev.berth.identity;

import dev.berth.http.HttpExchange;
import dev.berth.http.Route;
import dev.berth.http.RouteHandler;
import dev.berth.http.Router;
import java.net.URI;
import java.util.List;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/** A plain-HTTP Jetty on a free loopback port that serves one route table. Not thread-safe. */
final class TestServer implements AutoCloseable {

  private final Server server;
  private final ServerConnector connector;

  private TestServer(List<Route<RouteHandler>> routes) throws Exception {
    Router<RouteHandler> router = new Router<>(routes);
    server = new Server();
    connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback)
              throws Exception {
            HttpExchange exchange = new HttpExchange(request, response, callback);
            switch (router.match(request.getMethod(), exchange.segments())) {
              case Router.Match.Found<RouteHandler> found -> Router.dispatch(found, exchange);
              case Router.Match.MethodNotAllowed<RouteHandler> m -> exchange.sendEmpty(405);
              case Router.Match.NotFound<RouteHandler> n -> exchange.sendEmpty(404);
            }
            return true;
          }
        });
    server.start();
  }

  static TestServer start(List<Route<RouteHandler>> routes) throws Exception {
    return new TestServer(routes);
  }

  URI base() {
    return URI.create("http://127.0.0.1:" + connector.getLocalPort());
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
