package dev.berth.ingress;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/** A {@link RouteTable} held in a map: what tests and benchmarks fill by hand. Thread-safe. */
public final class InMemoryRouteTable implements RouteTable {

  private final Map<String, AppRoute> routes = new ConcurrentHashMap<>();
  private final AtomicReference<CompletableFuture<Void>> next =
      new AtomicReference<>(new CompletableFuture<>());

  /** Serves {@code route} at {@code host} from now on, in place of what was there. */
  public InMemoryRouteTable put(String host, AppRoute route) {
    routes.put(host.toLowerCase(Locale.ROOT), route);
    changed();
    return this;
  }

  /** No app answers at {@code host} any more. */
  public void remove(String host) {
    routes.remove(host.toLowerCase(Locale.ROOT));
    changed();
  }

  @Override
  public Optional<AppRoute> route(String host) {
    return Optional.ofNullable(routes.get(host));
  }

  @Override
  public CompletableFuture<Void> nextChange() {
    return next.get();
  }

  private void changed() {
    next.getAndSet(new CompletableFuture<>()).complete(null);
  }
}
