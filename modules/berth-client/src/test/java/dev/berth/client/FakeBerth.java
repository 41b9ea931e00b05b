package dev.berth.client;

import dev.berth.testing.LoopbackServer;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.Callback;

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

  private final Map<String, Function<Request, Response>> routes = new ConcurrentHashMap<>();
  private final Map<String, Function<Request, Response>> prefixes = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger tokensIssued = new AtomicInteger();
  private final LoopbackServer server = LoopbackServer.https(this::handle);

  private FakeBerth() {}

  /** A fake Berth over HTTPS; clients trust {@code TestCa.get().caPem()}. */
  public static FakeBerth start() {
    return new FakeBerth();
  }

  /** {@code https://127.0.0.1:<port>/}. */
  public URI endpoint() {
    return URI.create(server.uri() + "/");
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

  private boolean handle(
      org.eclipse.jetty.server.Request exchange,
      org.eclipse.jetty.server.Response reply,
      Callback callback)
      throws Exception {
    // java.net.URI decodes the path and the query as the tests expect them.
    URI uri = exchange.getHttpURI().toURI();
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (HttpField field : exchange.getHeaders()) {
      headers.computeIfAbsent(field.getName(), k -> new ArrayList<>()).add(field.getValue());
    }
    Request request =
        new Request(
            exchange.getMethod(),
            uri.getPath(),
            uri.getQuery() == null ? "" : uri.getQuery(),
            Map.copyOf(headers),
            Content.Source.asString(exchange, StandardCharsets.UTF_8));
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
    reply.setStatus(response.status());
    response.headers().forEach((k, v) -> reply.getHeaders().add(k, v));
    byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
    if (body.length > 0) {
      reply.getHeaders().add("Content-Type", "application/json");
    }
    reply.write(true, ByteBuffer.wrap(body), callback);
    return true;
  }

  @Override
  public void close() {
    server.close();
  }
}
