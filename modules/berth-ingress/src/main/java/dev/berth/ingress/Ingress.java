package dev.berth.ingress;

import dev.berth.ingress.internal.HostRouter;
import dev.berth.ingress.internal.ReplicaProxy;
import java.util.function.Predicate;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;

/**
 * Builds the ingress handler: {@code Host} → app route (404, 503 or a redirect to HTTPS where the
 * route says so) → one of the route's replicas, through Jetty's reverse proxy. Put the handler on
 * the ingress listeners (HTTP and HTTPS); it starts and stops its {@code HttpClient} with the
 * server. Thread-safe.
 */
public final class Ingress {

  private Ingress() {}

  /** The ingress handler over {@code routes}: no autoscaler behind it, no environment network. */
  public static Handler handler(RouteTable routes, IngressSettings settings) {
    return handler(routes, settings, new RequestLoad(), Activations.NONE, request -> false);
  }

  /**
   * The ingress handler over {@code routes}.
   *
   * @param load where it counts its requests, per revision and per replica
   * @param activations asked to scale up a revision whose requests find no ready replica
   * @param fromEnvironment whether a request came in from the environment's replicas (the listener
   *     on the environment's bridge): internal apps answer only those
   */
  public static Handler handler(
      RouteTable routes,
      IngressSettings settings,
      RequestLoad load,
      Activations activations,
      Predicate<Request> fromEnvironment) {
    return new HostRouter(
        routes, settings, new ReplicaProxy(settings), load, activations, fromEnvironment);
  }
}
