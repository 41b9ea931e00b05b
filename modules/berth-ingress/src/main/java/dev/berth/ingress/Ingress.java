package dev.berth.ingress;

import dev.berth.ingress.internal.HostRouter;
import dev.berth.ingress.internal.ReplicaProxy;
import org.eclipse.jetty.server.Handler;

/**
 * Builds the ingress handler: {@code Host} → app route (404, 503 or a redirect to HTTPS where the
 * route says so) → one of the route's replicas, through Jetty's reverse proxy. Put the handler on
 * the ingress listeners (HTTP and HTTPS); it starts and stops its {@code HttpClient} with the
 * server. Thread-safe.
 */
public final class Ingress {

  private Ingress() {}

  /**
   * The ingress handler over {@code routes}, with nothing behind it ({@link IngressWiring#none}).
   */
  public static Handler handler(RouteTable routes, IngressSettings settings) {
    return handler(routes, settings, IngressWiring.none());
  }

  /** The ingress handler over {@code routes}, connected as {@code wiring} says. */
  public static Handler handler(RouteTable routes, IngressSettings settings, IngressWiring wiring) {
    return new HostRouter(routes, settings, new ReplicaProxy(settings), wiring);
  }
}
