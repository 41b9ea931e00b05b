package dev.berth.server;

import dev.berth.http.HttpExchange;
import dev.berth.http.Router;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The front door of Berth's HTTPS port: token-service routes go to the identity module, everything
 * else to the ARM API. Runs each request on a virtual thread, where handlers may block.
 * Thread-safe.
 */
final class BerthHandler extends Handler.Abstract {

  private static final Logger LOG = LoggerFactory.getLogger(BerthHandler.class);

  /** The fallback API: serves every request the token routes do not. */
  @FunctionalInterface
  interface Api {
    void handle(HttpExchange exchange) throws Exception;
  }

  private final Router tokenRoutes;
  private final Api arm;

  BerthHandler(Router tokenRoutes, Api arm) {
    this.tokenRoutes = tokenRoutes;
    this.arm = arm;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    HttpExchange exchange = new HttpExchange(request, response, callback);
    try {
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
