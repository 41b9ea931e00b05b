package dev.berth.registry.distribution.internal;

import dev.berth.http.Route;
import dev.berth.http.Router;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry API's one route table: method and path template to {@link CallHandler}, matched by
 * the shared {@link Router} over {@link RoutePaths#canonical canonical} segments. Immutable once
 * built; thread-safe.
 */
public final class RouteTable {

  /** What a lookup found. */
  public sealed interface Lookup {
    record Found(CallHandler handler, Map<String, String> vars) implements Lookup {}

    record MethodNotAllowed(List<String> allowed) implements Lookup {}

    record NotFound() implements Lookup {}
  }

  /**
   * One row as it was declared: a method and a path template such as {@code /v2/{name}/tags/list}.
   */
  public record Entry(String method, String template) {}

  private final Router router;
  private final Map<Route, CallHandler> handlers;
  private final List<Entry> entries;

  private RouteTable(Router router, Map<Route, CallHandler> handlers, List<Entry> entries) {
    this.router = router;
    this.handlers = handlers;
    this.entries = List.copyOf(entries);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Every route, in the order declared. */
  public List<Entry> entries() {
    return entries;
  }

  public Lookup lookup(String method, List<String> segments) {
    return switch (router.match(method, RoutePaths.canonical(segments))) {
      case Router.Match.Found f -> new Lookup.Found(handlers.get(f.route()), f.vars());
      case Router.Match.MethodNotAllowed m -> new Lookup.MethodNotAllowed(m.allowed());
      case Router.Match.NotFound n -> new Lookup.NotFound();
    };
  }

  /** Collects routes. Not thread-safe. */
  public static final class Builder {
    private final List<Route> routes = new ArrayList<>();
    private final Map<Route, CallHandler> handlers = new IdentityHashMap<>();
    private final List<Entry> entries = new ArrayList<>();

    public Builder route(String method, String template, CallHandler handler) {
      Route route =
          Route.of(
              method,
              template,
              exchange -> {
                throw new IllegalStateException("dispatched through RouteTable only");
              });
      routes.add(route);
      handlers.put(route, handler);
      entries.add(new Entry(method, template));
      return this;
    }

    public RouteTable build() {
      return new RouteTable(new Router(routes), new IdentityHashMap<>(handlers), entries);
    }
  }
}
