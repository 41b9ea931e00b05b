package dev.berth.http;

/**
 * One row of a route table: an HTTP method, a path template and what the API that owns the table
 * keeps for the route — a plain {@link RouteHandler}, or a record of its handler and what the route
 * declares (its permission, its access). Immutable when the payload is.
 *
 * @param <T> what each route of the table carries
 */
public record Route<T>(String method, PathPattern pattern, T payload) {

  public static <T> Route<T> of(String method, String template, T payload) {
    return new Route<>(method, PathPattern.of(template), payload);
  }

  /** The path template as declared, such as {@code /v2/{name}/tags/list}. */
  public String template() {
    return pattern.toString();
  }
}
