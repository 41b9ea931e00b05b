package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Principal;
import dev.berth.api.ResourceId;
import dev.berth.api.acr.AcrDocuments;
import dev.berth.api.acr.PasswordHashes;
import dev.berth.api.acr.Registry;
import dev.berth.api.secrets.SecretSealer;
import dev.berth.api.secrets.SecretSlot;
import dev.berth.http.HttpExchange;
import dev.berth.http.Json;
import dev.berth.http.Route;
import dev.berth.identity.BuiltInRoles;
import dev.berth.identity.IdentityConfig;
import dev.berth.identity.JwtTokenVerifier;
import dev.berth.identity.RbacAuthorizer;
import dev.berth.identity.SigningKeys;
import dev.berth.identity.StoreDirectory;
import dev.berth.identity.TokenIssuer;
import dev.berth.registry.auth.AcrAccess;
import dev.berth.registry.auth.AcrTokenService;
import dev.berth.registry.blob.BlobStores;
import dev.berth.registry.blob.Digest;
import dev.berth.registry.distribution.DistributionApi;
import dev.berth.registry.distribution.MetadataStore;
import dev.berth.registry.distribution.internal.RegistryRoute;
import dev.berth.store.Precondition;
import dev.berth.store.memory.InMemoryResourceStore;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Registries' login servers on 127.0.0.1, wired as {@code berth-server} wires them: the real {@link
 * AcrTokenService} and {@link AcrAccess} over one store and one set of signing keys, {@link
 * DistributionApi} behind {@link RegistryHttp}, one loopback port per registry (the port's login
 * server picks the registry). Principals, roles, scope-map tokens and content go in through the
 * store and over HTTP, as the control plane and clients put them. Not thread-safe to configure.
 */
final class LoginServers implements AutoCloseable {

  static final String TENANT = "11111111-2222-3333-4444-555555555555";
  static final String OCI = "application/vnd.oci.image.manifest.v1+json";
  static final ResourceId GROUP = ResourceId.resourceGroup("s1", "rg");

  /** What {@link #seed} pushed into one repository. */
  record Seeded(
      String repository, Digest layer, Digest manifest, byte[] manifestBytes, String upload) {
    static final String TAG = "v1";
  }

  final InMemoryResourceStore store = new InMemoryResourceStore();
  final SecretSealer sealer = SecretSealer.fromEncoded(SecretSealer.newEncodedKey());
  final SigningKeys keys = SigningKeys.ephemeral();
  final StoreDirectory directory = new StoreDirectory(store, TENANT, Clock.systemUTC());
  private final TokenIssuer issuer;
  private final RegistryDirectory registries = new RegistryDirectory(store);
  private final Server server;
  private final List<ServerConnector> free = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  /** The data plane's route table, as {@link DistributionApi} built it. */
  final List<Route<RegistryRoute>> routes;

  /** Opens {@code ports} loopback ports, each waiting for the registry {@link #add} gives it. */
  LoginServers(Path dir, int ports) throws Exception {
    IdentityConfig config =
        IdentityConfig.of(TENANT, URI.create("https://127.0.0.1:8443"), dir.resolve("keys"));
    issuer = new TokenIssuer(config, keys);
    RbacAuthorizer rbac = new RbacAuthorizer(store, BuiltInRoles.catalog());
    AcrTokenService tokens =
        new AcrTokenService(
            config,
            JwtTokenVerifier.forDirectory(config, keys, directory),
            directory,
            rbac,
            keys,
            store,
            directory::findByObjectId,
            sealer);
    AcrAccess access =
        new AcrAccess(config, directory, rbac, keys, store, directory::findByObjectId, sealer);
    DistributionApi distribution =
        new DistributionApi(
            BlobStores.open(dir.resolve("blobs").toUri().toString()),
            MetadataStore.open(dir.resolve("metadata")),
            access,
            Clock.systemUTC(),
            registries);
    RegistryHttp front = new RegistryHttp(tokens::handle, distribution::handle);
    routes = distribution.routes();

    QueuedThreadPool pool = new QueuedThreadPool();
    pool.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server = new Server(pool);
    for (int i = 0; i < ports; i++) {
      ServerConnector connector = new ServerConnector(server);
      connector.setHost("127.0.0.1");
      connector.setPort(0);
      server.addConnector(connector);
      free.add(connector);
    }
    server.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback)
              throws Exception {
            var registry = registries.byLoginServer("127.0.0.1:" + Request.getLocalPort(request));
            if (registry.isEmpty()) {
              response.setStatus(404);
              callback.succeeded();
            } else {
              front.handle(new HttpExchange(request, response, callback), registry.get());
            }
            return true;
          }
        });
    server.start();
  }

  /**
   * Creates registry {@code name} on the next free port, as the control plane writes it (login
   * server, a storage key of its own), with {@code properties} set on top.
   */
  Registry add(String name, Consumer<ObjectNode> properties) {
    ServerConnector connector = free.remove(0);
    ResourceId id = GROUP.provider("Microsoft.ContainerRegistry", "registries", name);
    ObjectNode doc = Json.object().put("id", id.value()).put("name", name);
    doc.put("type", AcrDocuments.REGISTRY_TYPE);
    ObjectNode props = doc.putObject("properties");
    props.put("loginServer", "127.0.0.1:" + connector.getLocalPort());
    properties.accept(props);
    doc.putObject(AcrDocuments.HIDDEN)
        .put(AcrDocuments.STORAGE_KEY, AcrDocuments.newStorageKey(name));
    store.put(id, doc, Precondition.NONE);
    return registries.byId(id).orElseThrow();
  }

  Principal servicePrincipal(String name) {
    return directory.createServicePrincipal(name).principal();
  }

  /** Assigns {@code roleGuid} to {@code principal} at the registry's scope, with a condition. */
  void assignRole(Registry registry, Principal principal, String roleGuid, String condition) {
    ObjectNode props = Json.object();
    props.put(
        "roleDefinitionId",
        "/subscriptions/s1/providers/Microsoft.Authorization/roleDefinitions/" + roleGuid);
    props.put("principalId", principal.objectId());
    if (condition != null) {
      props.put("condition", condition).put("conditionVersion", "2.0");
    }
    ObjectNode body = Json.object();
    body.set("properties", props);
    store.put(
        registry
            .id()
            .provider("Microsoft.Authorization", "roleAssignments", UUID.randomUUID().toString()),
        body,
        Precondition.NONE);
  }

  /** Stores the admin passwords as the control plane does: sealed for this registry. */
  void setAdminPassword(Registry registry, String password) {
    ObjectNode body = Json.object().put("username", registry.name());
    ArrayNode passwords = body.putArray("passwords");
    for (String slot : List.of("password", "password2")) {
      passwords
          .addObject()
          .put("name", slot)
          .put("value", sealer.seal(password, SecretSlot.adminPassword(registry.id(), slot)));
    }
    store.put(AcrDocuments.adminCredentials(registry.id()), body, Precondition.NONE);
  }

  /** An enabled repository-scoped token {@code name} with a scope map of {@code actions}. */
  void scopeMapToken(Registry registry, String name, String password, String... actions)
      throws Exception {
    ResourceId map = registry.id().child("scopeMaps", name + "-map");
    ObjectNode mapBody = Json.object();
    ArrayNode list = mapBody.putObject("properties").putArray("actions");
    List.of(actions).forEach(list::add);
    store.put(map, mapBody, Precondition.NONE);
    ResourceId token = registry.id().child("tokens", name);
    ObjectNode tokenBody = Json.object();
    tokenBody.putObject("properties").put("scopeMapId", map.value()).put("status", "enabled");
    store.put(token, tokenBody, Precondition.NONE);
    ObjectNode secrets = Json.object();
    secrets
        .putArray("passwords")
        .add(PasswordHashes.entry("password1", password, Optional.empty()));
    store.put(AcrDocuments.tokenPasswords(token), secrets, Precondition.NONE);
  }

  /**
   * {@code principal}'s ACR refresh token: an Entra token exchanged at {@code /oauth2/exchange}.
   */
  String refreshToken(Registry registry, Principal principal) throws Exception {
    String entra =
        issuer
            .issue(principal, IdentityConfig.REGISTRY_AUDIENCE, TokenIssuer.Version.V2)
            .accessToken();
    var r =
        post(
            registry,
            "/oauth2/exchange",
            Map.of(
                "grant_type",
                "access_token",
                "service",
                registry.loginServer(),
                "access_token",
                entra));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Json.parse(r.body().getBytes(StandardCharsets.UTF_8)).path("refresh_token").asText();
  }

  /** An access token for {@code scope} (may be empty) from {@code POST /oauth2/token}. */
  String accessToken(Registry registry, String refreshToken, String scope) throws Exception {
    var r =
        post(
            registry,
            "/oauth2/token",
            Map.of(
                "grant_type",
                "refresh_token",
                "service",
                registry.loginServer(),
                "scope",
                scope,
                "refresh_token",
                refreshToken));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Json.parse(r.body().getBytes(StandardCharsets.UTF_8)).path("access_token").asText();
  }

  /** An access token for {@code scope} from {@code GET /oauth2/token} with Basic credentials. */
  String accessTokenWithBasic(Registry registry, String basic, String scope) throws Exception {
    String query =
        "?service="
            + registry.loginServer()
            + "&scope="
            + URLEncoder.encode(scope, StandardCharsets.UTF_8);
    var r = send(registry, "GET", "/oauth2/token" + query, basic, null, null);
    assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    return Json.parse(r.body()).path("access_token").asText();
  }

  /**
   * Pushes a config and a layer (their bytes name the repository, so no other repository links
   * them), a manifest tagged {@link Seeded#TAG}, and starts an upload, with {@code authorization}.
   */
  Seeded seed(Registry registry, String repository, String authorization) throws Exception {
    byte[] config = ("{\"repository\":\"" + repository + "\"}").getBytes(StandardCharsets.UTF_8);
    byte[] layer = ("layer of " + repository).getBytes(StandardCharsets.UTF_8);
    Digest configDigest = pushBlob(registry, repository, config, authorization);
    Digest layerDigest = pushBlob(registry, repository, layer, authorization);
    byte[] manifest =
        ("{\"schemaVersion\":2,\"mediaType\":\"%s\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"%s\",\"size\":%d},"
                + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
                + "\"digest\":\"%s\",\"size\":%d}]}")
            .formatted(OCI, configDigest, config.length, layerDigest, layer.length)
            .getBytes(StandardCharsets.UTF_8);
    var put =
        send(
            registry,
            "PUT",
            "/v2/" + repository + "/manifests/" + Seeded.TAG,
            authorization,
            manifest,
            OCI);
    assertThat(put.statusCode()).as("seeding " + repository).isEqualTo(201);
    var upload =
        send(registry, "POST", "/v2/" + repository + "/blobs/uploads/", authorization, null, null);
    assertThat(upload.statusCode()).as("seeding " + repository).isEqualTo(202);
    return new Seeded(
        repository,
        layerDigest,
        Digest.sha256(manifest),
        manifest,
        upload.headers().firstValue("Docker-Upload-UUID").orElseThrow());
  }

  private Digest pushBlob(Registry registry, String repository, byte[] content, String auth)
      throws Exception {
    Digest digest = Digest.sha256(content);
    var r =
        send(
            registry,
            "POST",
            "/v2/" + repository + "/blobs/uploads/?digest=" + digest,
            auth,
            content,
            "application/octet-stream");
    assertThat(r.statusCode()).as("seeding " + repository).isEqualTo(201);
    return digest;
  }

  /** One request to {@code registry}'s login server; {@code authorization} and body may be null. */
  HttpResponse<byte[]> send(
      Registry registry,
      String method,
      String pathAndQuery,
      String authorization,
      byte[] body,
      String contentType)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://" + registry.loginServer() + pathAndQuery))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private HttpResponse<String> post(Registry registry, String path, Map<String, String> form)
      throws Exception {
    String body =
        form.entrySet().stream()
            .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    return http.send(
        HttpRequest.newBuilder(URI.create("http://" + registry.loginServer() + path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() throws Exception {
    server.stop();
    http.close();
    store.close();
  }
}
