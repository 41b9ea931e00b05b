package dev.berth.ingress;

import java.util.Optional;

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
}
