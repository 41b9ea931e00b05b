package dev.berth.http;

/** Serves one route; runs on a virtual thread and may block. */
@FunctionalInterface
public interface RouteHandler {
  void handle(HttpExchange exchange) throws Exception;
}
