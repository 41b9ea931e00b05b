package dev.berth.ingress;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link RouteTable} held in a map: what tests and benchmarks fill by hand, and what the server
 * may keep up to date from its watches. Thread-safe.
 */
public final class InMemoryRouteTable implements RouteTable {

  private final Map<String, AppRoute> routes = new ConcurrentHashMap<>();

  /** Serves {@code route} at {@code host} from now on, in place of what was there. */
  public InMemoryRouteTable put(String host, AppRoute route) {
    routes.put(host.toLowerCase(Locale.ROOT), route);
    return this;
  }

  /** No app answers at {@code host} any more. */
  public void remove(String host) {
    routes.remove(host.toLowerCase(Locale.ROOT));
  }

  @Override
  public Optional<AppRoute> route(String host) {
    return Optional.ofNullable(routes.get(host));
  }
}
