package dev.berth.http;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A route table. Finds the most specific route whose template matches a path; tells apart "no such
 * path" from "path known, method not allowed". What a found route carries is the API's own record
 * ({@code T}), so no API keeps a second table beside this one. Immutable and thread-safe once built
 * (when the payloads are).
 *
 * @param <T> what each route carries
 */
public final class Router<T> {

  /** The outcome of a lookup. */
  public sealed interface Match<T> {
    /** A route serves this method and path. */
    record Found<T>(Route<T> route, Map<String, String> vars) implements Match<T> {}

    /** Some route has this path, none has this method. */
    record MethodNotAllowed<T>(List<String> allowed) implements Match<T> {}

    /** No route has this path. */
    record NotFound<T>() implements Match<T> {}
  }

  private final List<Route<T>> routes;

  public Router(List<Route<T>> routes) {
    List<Route<T>> sorted = new ArrayList<>(routes);
    sorted.sort(Comparator.comparingInt((Route<T> r) -> r.pattern().specificity()).reversed());
    this.routes = List.copyOf(sorted);
  }

  /** Every route, most specific first. */
  public List<Route<T>> routes() {
    return routes;
  }

  public Match<T> match(String method, List<String> segments) {
    List<String> allowed = new ArrayList<>();
    for (Route<T> route : routes) {
      Optional<Map<String, String>> vars = route.pattern().match(segments);
      if (vars.isEmpty()) {
        continue;
      }
      if (route.method().equalsIgnoreCase(method)) {
        return new Match.Found<>(route, vars.get());
      }
      allowed.add(route.method());
    }
    return allowed.isEmpty()
        ? new Match.NotFound<>()
        : new Match.MethodNotAllowed<>(List.copyOf(allowed));
  }

  /** Binds the path variables of a found match to the exchange, for a handler of another shape. */
  public static <T> T bind(Match.Found<T> found, HttpExchange exchange) {
    exchange.pathVars(found.vars());
    return found.route().payload();
  }

  /** Binds the path variables of a found match to the exchange and runs its handler. */
  public static void dispatch(Match.Found<RouteHandler> found, HttpExchange exchange)
      throws Exception {
    exchange.pathVars(found.vars());
    found.route().payload().handle(exchange);
  }
}
