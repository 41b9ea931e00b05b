package dev.berth.controlplane.internal;

import dev.berth.api.ArmErrorCode;
import dev.berth.api.ArmErrors;
import dev.berth.api.ArmException;
import dev.berth.http.Router;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the route for a request in the {@link RouteTable}'s two routers: extension routes ({@code
 * {scope}/providers/Microsoft.Authorization/…}), matched after the scope prefix is split off, and
 * plain routes. Answers 404 for unknown paths and 405 for a known path with another method.
 * Immutable and thread-safe.
 */
public final class RouteMatching implements Step {

  /** The namespace whose routes extend any scope. */
  static final String EXTENSION_NAMESPACE = "Microsoft.Authorization";

  private final RouteTable table;

  public RouteMatching(RouteTable table) {
    this.table = table;
  }

  @Override
  public void apply(ArmCall call) {
    String method = call.method();
    List<String> segments = call.exchange().segments();
    segments.forEach(RouteMatching::requireNameLike);
    Router.Match<ArmRoute> match = new Router.Match.NotFound<>();
    int split = extensionSplit(segments);
    Map<String, String> vars = new LinkedHashMap<>();
    if (split >= 0) {
      match = table.extensions().match(method, segments.subList(split, segments.size()));
      vars.put("scope", "/" + String.join("/", segments.subList(0, split)));
    }
    if (match instanceof Router.Match.NotFound) {
      vars.clear();
      match = table.plain().match(method, segments);
    }
    switch (match) {
      case Router.Match.Found<ArmRoute> found -> {
        vars.putAll(found.vars());
        call.route(found.route().payload(), vars);
      }
      case Router.Match.MethodNotAllowed<ArmRoute> m ->
          throw ArmException.of(
                  ArmErrorCode.MethodNotAllowed,
                  "The requested resource does not support http method '" + method + "'.")
              .withHeader("Allow", String.join(", ", m.allowed()));
      case Router.Match.NotFound<ArmRoute> n ->
          throw ArmException.of(
              ArmErrorCode.NotFound,
              "The requested path '" + call.exchange().path() + "' does not exist.");
    }
  }

  /**
   * A path segment is one name or keyword of a resource id. An encoded {@code /} or {@code \}
   * ({@code %2F}, {@code %5C}) would change the id's shape once the segments are joined, and {@code
   * .}, {@code ..} or a control character is no name ARM allows; all are refused before any handler
   * builds an id from them.
   */
  private static void requireNameLike(String segment) {
    boolean bad =
        segment.equals(".")
            || segment.equals("..")
            || segment.chars().anyMatch(c -> c == '/' || c == '\\' || Character.isISOControl(c));
    if (bad) {
      throw ArmException.of(
          ArmErrorCode.InvalidRequestFormat,
          "The request URI is not valid: the path segment '"
              + ArmErrors.printable(segment)
              + "' holds '/', '\\', a control character, or is '.' or '..'.");
    }
  }

  /** The index of the last {@code providers/Microsoft.Authorization} pair, or -1. */
  private static int extensionSplit(List<String> segments) {
    for (int i = segments.size() - 2; i >= 0; i--) {
      if (segments.get(i).equalsIgnoreCase("providers")
          && segments.get(i + 1).equalsIgnoreCase(EXTENSION_NAMESPACE)) {
        return i;
      }
    }
    return -1;
  }
}
