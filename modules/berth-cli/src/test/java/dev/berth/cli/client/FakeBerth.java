package dev.berth.cli.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A fake Berth over HTTPS on loopback: answers the routes a test registers (method + exact path;
 * the query is recorded, not matched), an Entra-like token endpoint, and ARM 404s for the rest.
 * Records every request. Thread-safe.
 */
public final class FakeBerth implements AutoCloseable {

  /** One request as the server saw it; {@code query} is decoded. */
  public record Request(
      String method, String path, String query, Map<String, List<String>> headers, String body) {

    public String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }

    /** The body as an {@code application/x-www-form-urlencoded} form. */
    public Map<String, String> form() {
      Map<String, String> form = new LinkedHashMap<>();
      for (String pair : body.split("&")) {
        int eq = pair.indexOf('=');
        form.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
      return form;
    }
  }

  /** A canned answer. */
  public record Response(int status, String body, Map<String, String> headers) {
    public static Response json(int status, String body) {
      return new Response(status, body, Map.of());
    }

    public Response with(String header, String value) {
      Map<String, String> more = new LinkedHashMap<>(headers);
      more.put(header, value);
      return new Response(status, body, more);
    }
  }

  private final HttpsServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Map<String, Function<Request, Response>> routes =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, Function<Request, Response>> prefixes =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger tokensIssued = new AtomicInteger();

  private FakeBerth() throws IOException {
    server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(TestCertificates.get().serverContext()));
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  public static FakeBerth start() {
    try {
      return new FakeBerth();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** {@code https://127.0.0.1:<port>/}. */
  public URI endpoint() {
    return URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  public FakeBerth on(String method, String path, Function<Request, Response> handler) {
    routes.put(method + " " + path, handler);
    return this;
  }

  /** Answers every request with this method whose path starts with {@code prefix}. */
  public FakeBerth onPrefix(String method, String prefix, Function<Request, Response> handler) {
    prefixes.put(method + " " + prefix, handler);
    return this;
  }

  /** Serves {@code responses} in order, repeating the last one. */
  public FakeBerth sequence(String method, String path, Response... responses) {
    AtomicInteger next = new AtomicInteger();
    return on(method, path, r -> responses[Math.min(next.getAndIncrement(), responses.length - 1)]);
  }

  /**
   * An Entra-like token endpoint for one service principal: tokens {@code token-1}, {@code
   * token-2}… valid for {@code expiresIn} seconds; a wrong secret gets {@code invalid_client}.
   */
  public FakeBerth tokenEndpoint(String tenant, String clientId, String secret, long expiresIn) {
    return on(
        "POST",
        "/" + tenant + "/oauth2/v2.0/token",
        r -> {
          Map<String, String> form = r.form();
          if (!clientId.equals(form.get("client_id"))
              || !secret.equals(form.get("client_secret"))) {
            return Response.json(
                401,
                "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: Invalid"
                    + " client secret provided.\"}");
          }
          return Response.json(
              200,
              "{\"token_type\":\"Bearer\",\"expires_in\":"
                  + expiresIn
                  + ",\"access_token\":\"token-"
                  + tokensIssued.incrementAndGet()
                  + "\"}");
        });
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** Requests with this method and path. */
  public List<Request> requests(String method, String path) {
    List<Request> matching = new ArrayList<>();
    for (Request r : requests) {
      if (r.method().equals(method) && r.path().equals(path)) {
        matching.add(r);
      }
    }
    return matching;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      URI uri = exchange.getRequestURI();
      Request request =
          new Request(
              exchange.getRequestMethod(),
              uri.getPath(),
              uri.getQuery() == null ? "" : uri.getQuery(),
              Map.copyOf(exchange.getRequestHeaders()),
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      requests.add(request);
      String key = request.method() + " " + request.path();
      Function<Request, Response> route = routes.get(key);
      if (route == null) {
        route =
            prefixes.entrySet().stream()
                .filter(e -> key.startsWith(e.getKey()))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse(null);
      }
      Response response =
          route != null
              ? route.apply(request)
              : Response.json(
                  404,
                  "{\"error\":{\"code\":\"ResourceNotFound\",\"message\":\"No route for "
                      + request.path()
                      + "\"}}");
      response.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
      if (body.length > 0) {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
      }
      exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
      exchange.getResponseBody().write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
