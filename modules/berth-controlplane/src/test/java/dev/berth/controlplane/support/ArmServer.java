package dev.berth.controlplane.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ResourceId;
import dev.berth.controlplane.ArmApi;
import dev.berth.controlplane.ArmConfig;
import dev.berth.controlplane.ResourceType;
import dev.berth.http.HttpExchange;
import dev.berth.http.Json;
import dev.berth.store.Precondition;
import dev.berth.store.ResourceStore;
import dev.berth.store.memory.InMemoryResourceStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * An {@link ArmApi} behind a real Jetty server on loopback, with an in-memory store, one
 * subscription and the fake identity parts; plus a small HTTP client for the tests.
 */
public final class ArmServer implements AutoCloseable {

  public static final String SUB = "00000000-0000-0000-0000-00000000aaaa";

  public final InMemoryResourceStore store = new InMemoryResourceStore();
  public final Fakes.Principals directory = new Fakes.Principals();
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Server server = new Server();
  private final HttpClient client = HttpClient.newHttpClient();
  private final String base;

  /** A reply: status, headers and the body parsed as JSON (null when empty). */
  public record Reply(int status, HttpResponse<String> raw, JsonNode json) {
    public String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }
  }

  public ArmServer(List<ResourceType> types) throws Exception {
    this(store -> types);
  }

  /** For providers that need the server's store to build their types. */
  public static ArmServer withTypes(Function<ResourceStore, List<ResourceType>> types)
      throws Exception {
    return new ArmServer(types);
  }

  private ArmServer(Function<ResourceStore, List<ResourceType>> typesOf) throws Exception {
    List<ResourceType> types = typesOf.apply(store);
    ArmConfig config =
        ArmConfig.of(
            Fakes.TENANT,
            "https://127.0.0.1:8444/",
            "https://127.0.0.1:8443",
            Set.of("https://127.0.0.1:8444/"));
    ArmApi api =
        new ArmApi(
            config,
            store,
            new Fakes.Tokens(),
            new Fakes.Rbac(),
            new Fakes.Roles(),
            directory,
            executor,
            types);
    // BerthServer's URI rules: encoded slashes and empty segments reach the API, which judges them.
    HttpConfiguration http = new HttpConfiguration();
    http.setUriCompliance(
        UriCompliance.DEFAULT.with(
            "berth",
            UriCompliance.Violation.AMBIGUOUS_EMPTY_SEGMENT,
            UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR));
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback) {
            api.handle(new HttpExchange(request, response, callback));
            return true;
          }
        });
    server.start();
    base = "http://127.0.0.1:" + connector.getLocalPort();
    ObjectNode sub =
        Json.object()
            .put("subscriptionId", SUB)
            .put("displayName", "Berth Local")
            .put("state", "Enabled")
            .put("tenantId", Fakes.TENANT);
    store.put(ResourceId.subscription(SUB), sub, Precondition.NONE);
  }

  public String base() {
    return base;
  }

  public Reply send(
      String method, String pathAndQuery, String token, String body, String... headers)
      throws Exception {
    return send(method, pathAndQuery, token, body, false, headers);
  }

  /** Sends with {@code Expect: 100-continue} when asked: the body goes only if the server reads. */
  public Reply send(
      String method,
      String pathAndQuery,
      String token,
      String body,
      boolean expectContinue,
      String... headers)
      throws Exception {
    String url = pathAndQuery.startsWith("http") ? pathAndQuery : base + pathAndQuery;
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .expectContinue(expectContinue)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode json = r.body().isEmpty() ? null : Json.MAPPER.readTree(r.body());
    return new Reply(r.statusCode(), r, json);
  }

  public Reply get(String path, String token) throws Exception {
    return send("GET", path, token, null);
  }

  public Reply put(String path, String token, String body, String... headers) throws Exception {
    return send("PUT", path, token, body, headers);
  }

  @Override
  public void close() throws Exception {
    server.stop();
    executor.shutdownNow();
  }
}
