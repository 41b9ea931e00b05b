package dev.berth.http;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A route table. Finds the most specific route whose template matches a path; tells apart "no such
 * path" from "path known, method not allowed". Immutable and thread-safe once built.
 */
public final class Router {

  /** The outcome of a lookup. */
  public sealed interface Match {
    /** A route serves this method and path. */
    record Found(Route route, Map<String, String> vars) implements Match {}

    /** Some route has this path, none has this method. */
    record MethodNotAllowed(List<String> allowed) implements Match {}

    /** No route has this path. */
    record NotFound() implements Match {}
  }

  private final List<Route> routes;

  public Router(List<Route> routes) {
    List<Route> sorted = new ArrayList<>(routes);
    sorted.sort(Comparator.comparingInt((Route r) -> r.pattern().specificity()).reversed());
    this.routes = List.copyOf(sorted);
  }

  public List<Route> routes() {
    return routes;
  }

  public Match match(String method, List<String> segments) {
    List<String> allowed = new ArrayList<>();
    for (Route route : routes) {
      Optional<Map<String, String>> vars = route.pattern().match(segments);
      if (vars.isEmpty()) {
        continue;
      }
      if (route.method().equalsIgnoreCase(method)) {
        return new Match.Found(route, vars.get());
      }
      allowed.add(route.method());
    }
    return allowed.isEmpty()
        ? new Match.NotFound()
        : new Match.MethodNotAllowed(List.copyOf(allowed));
  }

  /** Binds the path variables of a found match to the exchange and runs its handler. */
  public static void dispatch(Match.Found found, HttpExchange exchange) throws Exception {
    exchange.pathVars(found.vars());
    found.route().handler().handle(exchange);
  }
}
