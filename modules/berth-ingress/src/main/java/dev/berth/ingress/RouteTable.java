package dev.berth.ingress;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The port through which the ingress learns where a host name leads: the server fills it from the
 * store (the app's ingress settings, its revisions' state) and the runtime (the replicas'
 * addresses). Called on every request, so implementations answer from memory. Implementations are
 * thread-safe.
 */
public interface RouteTable {

  /**
   * The route of the app served at {@code host} (a lower-case host name, without a port), or empty
   * when no app has that name.
   */
  Optional<AppRoute> route(String host);

  /**
   * The route of the app served at {@code host} to {@code caller}: as {@link #route(String)}, and
   * where the table knows the environments' replicas, a bare app name ({@code http://<app>}) that a
   * replica calls leads to the app of that name in the replica's own environment.
   */
  default Optional<AppRoute> route(String host, Caller caller) {
    return route(host);
  }

  /**
   * A future completed the next time the routes change. Take it before reading a route, then wait
   * on it: a change between the two completes it, so none is missed. The activator waits on it for
   * a revision's first ready replica.
   */
  CompletableFuture<Void> nextChange();
}
