package dev.berth.http;

/** One row of a route table: an HTTP method, a path template and the handler that serves it. */
public record Route(String method, PathPattern pattern, RouteHandler handler) {

  public static Route of(String method, String template, RouteHandler handler) {
    return new Route(method, PathPattern.of(template), handler);
  }
}
