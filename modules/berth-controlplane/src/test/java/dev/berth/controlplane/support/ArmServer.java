package dev.berth.controlplane.support;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Principal;
import dev.berth.api.ResourceId;
import dev.berth.controlplane.ArmApi;
import dev.berth.controlplane.ArmConfig;
import dev.berth.controlplane.ResourceType;
import dev.berth.controlplane.internal.RouteTable;
import dev.berth.http.HttpExchange;
import dev.berth.http.Json;
import dev.berth.identity.BuiltInRoles;
import dev.berth.identity.IdentityConfig;
import dev.berth.identity.JwtTokenVerifier;
import dev.berth.identity.RbacAuthorizer;
import dev.berth.identity.SigningKeys;
import dev.berth.identity.StoreDirectory;
import dev.berth.identity.TokenIssuer;
import dev.berth.store.Precondition;
import dev.berth.store.ResourceStore;
import dev.berth.store.memory.InMemoryResourceStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
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
 * subscription, name tokens ({@link Fakes.Tokens}), the real {@link StoreDirectory} of service
 * principals and the real {@link RbacAuthorizer} over the built-in roles: "owner", "contributor"
 * and "reader" hold Owner, Contributor and Reader at the root (assignments named in {@link
 * #BASELINE_ASSIGNMENTS}), "nobody" holds nothing, and tests add principals with roles at any scope
 * ({@link #principal}); plus a small HTTP client for the tests.
 */
public final class ArmServer implements AutoCloseable {

  public static final String SUB = "00000000-0000-0000-0000-00000000aaaa";

  /** The token authority; ARM accepts tokens for {@link #AUDIENCE}. */
  public static final String AUTHORITY = "https://127.0.0.1:8443";

  public static final String AUDIENCE = "https://127.0.0.1:8444/";

  /** What {@code GET /metrics} answers once the caller may read it. */
  public static final String METRICS = "# TYPE berth_test counter\nberth_test_total 1.0\n";

  /** The role assignments every server starts with, at the root. */
  public static final Set<String> BASELINE_ASSIGNMENTS =
      Set.of(
          "00000000-0000-4000-8000-0000000000b1",
          "00000000-0000-4000-8000-0000000000b2",
          "00000000-0000-4000-8000-0000000000b3");

  public final InMemoryResourceStore store;
  public final StoreDirectory directory;

  /** Signs the real JWTs this server accepts besides name tokens ({@link #jwt}). */
  public final IdentityConfig identity =
      IdentityConfig.of(Fakes.TENANT, URI.create(AUTHORITY), Path.of("unused-key-directory"));

  public final SigningKeys keys = SigningKeys.ephemeral();
  public final Fakes.Tokens tokens;
  public final RbacAuthorizer rbac;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Server server = new Server();
  private final ArmApi api;
  private final HttpClient client = HttpClient.newHttpClient();
  private final String base;

  /** A reply: status, headers and the body parsed as JSON (null when empty or not JSON). */
  public record Reply(int status, HttpResponse<String> raw, JsonNode json) {
    public String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }
  }

  public ArmServer(List<ResourceType> types) throws Exception {
    this(new InMemoryResourceStore(), store -> store, store -> types);
  }

  /** For providers that need the server's store to build their types. */
  public static ArmServer withTypes(Function<ResourceStore, List<ResourceType>> types)
      throws Exception {
    return new ArmServer(new InMemoryResourceStore(), store -> store, types);
  }

  /**
   * As {@link #withTypes(Function)}, with the API and the providers working through {@code view} of
   * the in-memory store, such as a guard that fails calls made beside a running transaction; the
   * directory, the authorizer and the test's own writes use the store itself.
   */
  public static ArmServer withStoreView(
      Function<ResourceStore, ResourceStore> view,
      Function<ResourceStore, List<ResourceType>> types)
      throws Exception {
    return new ArmServer(new InMemoryResourceStore(), view, types);
  }

  /** A second server on the store of an earlier one: what a restart after a crash sees. */
  public static ArmServer restartedOn(InMemoryResourceStore store, List<ResourceType> types)
      throws Exception {
    return new ArmServer(store, s -> s, s -> types);
  }

  private ArmServer(
      InMemoryResourceStore store,
      Function<ResourceStore, ResourceStore> view,
      Function<ResourceStore, List<ResourceType>> typesOf)
      throws Exception {
    this.store = store;
    this.directory = new StoreDirectory(store, Fakes.TENANT, Clock.systemUTC());
    // Name tokens and the directory's principals both sign in with a real JWT.
    var self = new AtomicReference<Fakes.Tokens>();
    this.tokens =
        new Fakes.Tokens(
            new JwtTokenVerifier(
                identity,
                keys,
                oid -> self.get().principal(oid).or(() -> directory.findByObjectId(oid))));
    self.set(tokens);
    this.rbac = new RbacAuthorizer(store, BuiltInRoles.catalog());
    ResourceStore apiStore = view.apply(store);
    List<ResourceType> types = typesOf.apply(apiStore);
    ArmConfig config = ArmConfig.of(Fakes.TENANT, AUDIENCE, AUTHORITY, Set.of(AUDIENCE));
    this.api =
        new ArmApi(
            config,
            apiStore,
            tokens,
            rbac,
            BuiltInRoles.catalog(),
            directory,
            executor,
            types,
            Optional.of(() -> METRICS));
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
    List<String> baseline = BASELINE_ASSIGNMENTS.stream().sorted().toList();
    assign(Fakes.OWNER, BuiltInRoles.OWNER, ResourceId.root(), baseline.get(0));
    assign(Fakes.CONTRIBUTOR, BuiltInRoles.CONTRIBUTOR, ResourceId.root(), baseline.get(1));
    assign(Fakes.READER, BuiltInRoles.READER, ResourceId.root(), baseline.get(2));
  }

  /**
   * A new principal that {@code token} authenticates, holding {@code roleGuid} at {@code scope}
   * (more with {@link #assign}).
   */
  public Principal principal(String token, String roleGuid, ResourceId scope) {
    Principal p =
        new Principal(
            UUID.randomUUID().toString(),
            Fakes.TENANT,
            UUID.randomUUID().toString(),
            Principal.PrincipalType.ServicePrincipal,
            token);
    tokens.register(token, p);
    assign(p, roleGuid, scope);
    return p;
  }

  /** Stores a role assignment of {@code roleGuid} to {@code principal} at {@code scope}. */
  public void assign(Principal principal, String roleGuid, ResourceId scope) {
    assign(principal, roleGuid, scope, UUID.randomUUID().toString());
  }

  private void assign(Principal principal, String roleGuid, ResourceId scope, String name) {
    ResourceId id = scope.provider("Microsoft.Authorization", "roleAssignments", name);
    ObjectNode body = Json.object();
    body.put("id", id.value())
        .put("name", name)
        .put("type", "Microsoft.Authorization/roleAssignments");
    body.putObject("properties")
        .put("roleDefinitionId", "/providers/Microsoft.Authorization/roleDefinitions/" + roleGuid)
        .put("principalId", principal.objectId())
        .put("principalType", "ServicePrincipal")
        .put("scope", scope.value());
    store.put(
        scope.provider("Microsoft.Authorization", "roleAssignments", name),
        body,
        Precondition.NONE);
  }

  /** The API behind the server, for what no HTTP route reaches (recovery, pruning). */
  public ArmApi api() {
    return api;
  }

  /** The API's route table, for tests that sweep every route. */
  public RouteTable routes() {
    return api.routes();
  }

  /** A real access token of {@code principal} for ARM, as Berth's token endpoint issues it. */
  public String jwt(Principal principal) {
    return new TokenIssuer(identity, keys)
        .issue(principal, AUDIENCE, TokenIssuer.Version.V2)
        .accessToken();
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
    boolean isJson = r.headers().firstValue("Content-Type").orElse("").contains("json");
    JsonNode json = r.body().isEmpty() || !isJson ? null : Json.MAPPER.readTree(r.body());
    return new Reply(r.statusCode(), r, json);
  }

  public Reply get(String path, String token) throws Exception {
    return send("GET", path, token, null);
  }

  public Reply put(String path, String token, String body, String... headers) throws Exception {
    return send("PUT", path, token, body, headers);
  }

  /** The owner's GET of {@code url} once its long-running write has ended (within 10 s). */
  public Reply settled(String url) throws Exception {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              String s = get(url, "owner").json().at("/properties/provisioningState").asText();
              return s.equals("Succeeded") || s.equals("Failed");
            });
    return get(url, "owner");
  }

  @Override
  public void close() throws Exception {
    server.stop();
    executor.shutdownNow();
  }
}
