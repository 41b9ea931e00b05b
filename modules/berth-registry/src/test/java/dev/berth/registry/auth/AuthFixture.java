package dev.berth.registry.auth;

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
import dev.berth.identity.BuiltInRoles;
import dev.berth.identity.IdentityConfig;
import dev.berth.identity.JwtTokenVerifier;
import dev.berth.identity.RbacAuthorizer;
import dev.berth.identity.SigningKeys;
import dev.berth.identity.StoreDirectory;
import dev.berth.identity.TokenIssuer;
import dev.berth.registry.AccessRequest;
import dev.berth.registry.Grant;
import dev.berth.registry.RegistryException;
import dev.berth.registry.auth.internal.Challenges;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A registry's login server on 127.0.0.1: {@code /oauth2/*} goes to {@link AcrTokenService}, and
 * {@code /v2/<repo>/manifests/<ref>} asks {@link AcrAccess} for pull (GET), push (PUT) or delete
 * (DELETE), answering 200 with the grant's subject. Not thread-safe.
 */
final class AuthFixture implements AutoCloseable {

  static final String TENANT = "11111111-2222-3333-4444-555555555555";
  static final String LOGIN_SERVER = "localhost:5001";
  static final ResourceId REGISTRY =
      ResourceId.parse(
          "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/myacr");

  final InMemoryResourceStore store = new InMemoryResourceStore();
  final SecretSealer sealer = SecretSealer.fromEncoded(SecretSealer.newEncodedKey());
  final IdentityConfig config;
  final SigningKeys keys = SigningKeys.ephemeral();
  final StoreDirectory directory;
  final TokenIssuer issuer;
  final ObjectNode registryProperties = Json.object();
  private final Server server;
  private final ServerConnector connector;

  AuthFixture(Path keyDir) throws Exception {
    config = IdentityConfig.of(TENANT, URI.create("https://127.0.0.1:8443"), keyDir);
    directory = new StoreDirectory(store, TENANT, Clock.systemUTC());
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
    registryProperties.put("loginServer", LOGIN_SERVER);
    registryProperties.put("adminUserEnabled", true);
    registryProperties
        .putObject("policies")
        .putObject("azureADAuthenticationAsArmPolicy")
        .put("status", "enabled");
    saveRegistry();
    server = new Server();
    connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback)
              throws Exception {
            HttpExchange exchange = new HttpExchange(request, response, callback);
            Registry registry =
                store.get(REGISTRY).map(d -> Registry.from(d.id(), d.body())).orElseThrow();
            List<String> s = exchange.segments();
            try {
              if (!s.isEmpty() && s.get(0).equals("oauth2")) {
                tokens.handle(exchange, registry);
              } else {
                List<AccessRequest> wanted =
                    s.size() <= 1
                        ? List.of()
                        : List.of(
                            AccessRequest.repository(
                                String.join("/", s.subList(1, s.size() - 2)),
                                switch (exchange.method()) {
                                  case "PUT" -> "push";
                                  case "DELETE" -> "delete";
                                  default -> "pull";
                                }));
                Grant grant = access.authorize(exchange, registry, wanted);
                exchange.sendJson(200, Map.of("subject", grant.subject()));
              }
            } catch (RegistryException e) {
              Challenges.send(exchange, e);
            }
            return true;
          }
        });
    server.start();
  }

  private final HttpClient http = HttpClient.newHttpClient();

  /** {@code GET /oauth2/token?service=…&scope=…} with this Authorization header (or none). */
  HttpResponse<String> getToken(String scope, String authorization) throws Exception {
    var b =
        HttpRequest.newBuilder(
            URI.create(
                base()
                    + "/oauth2/token?service="
                    + LOGIN_SERVER
                    + "&scope="
                    + URLEncoder.encode(scope, StandardCharsets.UTF_8)));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A data-plane request without a body, with this Authorization header (or none). */
  HttpResponse<String> v2(String method, String path, String authorization) throws Exception {
    var b =
        HttpRequest.newBuilder(base().resolve(path))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  URI base() {
    return URI.create("http://127.0.0.1:" + connector.getLocalPort());
  }

  int port() {
    return connector.getLocalPort();
  }

  void saveRegistry() {
    ObjectNode body = store.get(REGISTRY).map(d -> d.body().deepCopy()).orElseGet(Json::object);
    body.set("properties", registryProperties.deepCopy());
    store.put(REGISTRY, body, Precondition.NONE);
  }

  /**
   * The registry deleted and created again under its name, with the same login server, as the
   * control plane makes it: a new instance, with a storage key of its own. Its role assignments and
   * admin credentials stay, so only the instance tells the two apart.
   */
  void recreateRegistry() {
    ObjectNode body = Json.object();
    body.set("properties", registryProperties.deepCopy());
    body.putObject(AcrDocuments.HIDDEN)
        .put(AcrDocuments.STORAGE_KEY, AcrDocuments.newStorageKey(REGISTRY.name()));
    store.put(REGISTRY, body, Precondition.NONE);
  }

  /** Stores the admin passwords as the control plane does: sealed for this registry. */
  void setAdminPassword(String password) {
    setAdminPasswordValues(
        sealer.seal(password, SecretSlot.adminPassword(REGISTRY, "password")),
        sealer.seal("second-" + password, SecretSlot.adminPassword(REGISTRY, "password2")));
  }

  /** Stores the admin credentials document with these values as they are. */
  void setAdminPasswordValues(String password, String password2) {
    ObjectNode body = Json.object();
    body.put("username", "myacr");
    ArrayNode passwords = body.putArray("passwords");
    passwords.addObject().put("name", "password").put("value", password);
    passwords.addObject().put("name", "password2").put("value", password2);
    store.put(AcrDocuments.adminCredentials(REGISTRY), body, Precondition.NONE);
  }

  void assignRole(String principalId, String roleGuid, String condition) {
    ObjectNode props = Json.object();
    props.put(
        "roleDefinitionId",
        "/subscriptions/s1/providers/Microsoft.Authorization/roleDefinitions/" + roleGuid);
    props.put("principalId", principalId);
    if (condition != null) {
      props.put("condition", condition).put("conditionVersion", "2.0");
    }
    ObjectNode body = Json.object();
    body.set("properties", props);
    store.put(
        REGISTRY.provider(
            "Microsoft.Authorization", "roleAssignments", UUID.randomUUID().toString()),
        body,
        Precondition.NONE);
  }

  /** A scope map with {@code actions} and an enabled token using it, whose password is returned. */
  void scopeMapToken(String name, String password, String status, String expiry, String... actions)
      throws Exception {
    ResourceId map = REGISTRY.child("scopeMaps", name + "-map");
    ObjectNode mapBody = Json.object();
    ArrayNode list = mapBody.putObject("properties").putArray("actions");
    for (String a : actions) {
      list.add(a);
    }
    store.put(map, mapBody, Precondition.NONE);
    ResourceId token = REGISTRY.child("tokens", name);
    ObjectNode tokenBody = Json.object();
    tokenBody.putObject("properties").put("scopeMapId", map.toString()).put("status", status);
    store.put(token, tokenBody, Precondition.NONE);
    ObjectNode secrets = Json.object();
    // Stored as the control plane stores it; the expiry as given, readable or not.
    ObjectNode entry = PasswordHashes.entry("password1", password, Optional.empty());
    if (expiry != null) {
      entry.put("expiry", expiry);
    }
    secrets.putArray("passwords").add(entry);
    store.put(AcrDocuments.tokenPasswords(token), secrets, Precondition.NONE);
  }

  /** An Entra token of {@code principal} for {@code audience}, as Berth's token endpoint issues. */
  String entraToken(Principal principal, String audience) {
    return issuer.issue(principal, audience, TokenIssuer.Version.V2).accessToken();
  }

  @Override
  public void close() throws Exception {
    server.stop();
    store.close();
  }
}
