package dev.berth.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Principal;
import dev.berth.api.ResourceId;
import dev.berth.api.acr.AcrDocuments;
import dev.berth.api.acr.PasswordHashes;
import dev.berth.api.secrets.SecretSealer;
import dev.berth.api.secrets.SecretSlot;
import dev.berth.controlplane.providers.containerregistry.RegistryAccessCheck;
import dev.berth.controlplane.providers.managedidentity.ManagedIdentities;
import dev.berth.http.HttpExchange;
import dev.berth.identity.BuiltInRoles;
import dev.berth.identity.IdentityConfig;
import dev.berth.identity.JwtTokenVerifier;
import dev.berth.identity.RbacAuthorizer;
import dev.berth.identity.SigningKeys;
import dev.berth.identity.StoreDirectory;
import dev.berth.identity.TokenIssuer;
import dev.berth.reconciler.diagnosis.Diagnosis;
import dev.berth.reconciler.diagnosis.FailedPull;
import dev.berth.reconciler.diagnosis.PullDiagnosis;
import dev.berth.registry.RegistryDirectory;
import dev.berth.registry.RegistryHttp;
import dev.berth.registry.auth.AcrAccess;
import dev.berth.registry.auth.AcrTokenService;
import dev.berth.registry.blob.BlobStores;
import dev.berth.registry.distribution.DistributionApi;
import dev.berth.registry.distribution.MetadataStore;
import dev.berth.runtime.image.ImagePuller;
import dev.berth.runtime.image.ImagePullers;
import dev.berth.runtime.image.ImageReference;
import dev.berth.runtime.image.PullException;
import dev.berth.runtime.image.PullListener;
import dev.berth.runtime.image.RegistryCredential;
import dev.berth.server.tls.LocalCertificateAuthority;
import dev.berth.server.tls.ServerIdentity;
import dev.berth.server.tls.TlsProvider;
import dev.berth.server.tls.Trust;
import dev.berth.store.Precondition;
import dev.berth.store.StoredResource;
import dev.berth.store.memory.InMemoryResourceStore;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A registry {@code myacr} served over loopback HTTPS by the registry's production token service,
 * authorizer and distribution API, wired as {@code Services} wires them, beside the pull diagnosis
 * wired as {@code Replicas} wires it ({@link RegistryPorts}). An app {@code web} in an environment
 * whose outbound address is 127.0.0.12 pulls {@code myacr/api:1.0} with the production image
 * puller, as Container Apps does: a managed identity's ARM-audience token, a username and password,
 * or nothing. The documents are the control plane's shapes; a case edits them. Not thread-safe.
 */
final class AgreementWorld implements AutoCloseable {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String TENANT = "b6c948ef-f6b5-4384-8354-da3a15eca969";
  static final ResourceId RG =
      ResourceId.resourceGroup("0b5f3c2e-0000-4000-8000-000000000001", "rg1");
  static final ResourceId REGISTRY =
      RG.provider("Microsoft.ContainerRegistry", "registries", "myacr");
  static final ResourceId PULL_ID =
      RG.provider("Microsoft.ManagedIdentity", "userAssignedIdentities", "pull-id");
  static final String PULL_ID_PRINCIPAL = "25cc773c-7f05-40fc-a104-32d2300754ad";
  static final String SYSTEM_PRINCIPAL = "9a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d";
  static final ResourceId ENV = RG.provider("Microsoft.App", "managedEnvironments", "env1");
  static final ResourceId APP = RG.provider("Microsoft.App", "containerApps", "web");
  static final String OUTBOUND = "127.0.0.12";
  static final String ARM_AUDIENCE = "https://management.azure.com/";

  final InMemoryResourceStore store = new InMemoryResourceStore();
  final SecretSealer sealer = SecretSealer.fromEncoded(SecretSealer.newEncodedKey());
  private final TokenIssuer issuer;
  private final PullDiagnosis diagnosis;
  private final AccessChecks checks;
  private final ImagePuller puller;
  private final Server jetty;
  final String loginServer;
  private final String storageKey = AcrDocuments.newStorageKey("myacr");

  /** What the app's {@code registries[]} entry says and what the pull presents. */
  sealed interface Entry {
    /** No entry: the pull is anonymous. */
    record None() implements Entry {}

    /** {@code identity: system} or a user-assigned identity's id. */
    record Identity(String reference) implements Entry {}

    /** {@code username} with {@code passwordSecretRef: reg-pass} holding {@code password}. */
    record Password(String username, String password) implements Entry {}
  }

  /**
   * What {@code berth acr check-access} answers for the identity an entry names ({@code system}:
   * the app's system identity's principal), asking as the pull asks: from the environment's
   * outbound address, with an ARM-audience token.
   */
  JsonNode checkAccess(String identity) {
    String asked = identity.equalsIgnoreCase("system") ? SYSTEM_PRINCIPAL : identity;
    return checks.check(
        new RegistryAccessCheck.Question(
            REGISTRY, asked, "api", "pull", Optional.of(OUTBOUND), true));
  }

  AgreementWorld(Path dir) throws Exception {
    IdentityConfig identity =
        IdentityConfig.of(TENANT, URI.create("https://127.0.0.1:8443"), dir.resolve("keys"));
    SigningKeys keys = SigningKeys.ephemeral();
    StoreDirectory directory = new StoreDirectory(store, TENANT, Clock.systemUTC());
    issuer = new TokenIssuer(identity, keys);
    ManagedIdentities managed = ManagedIdentities.of(store);
    Function<String, Optional<Principal>> principals =
        oid -> directory.findByObjectId(oid).or(() -> managed.byPrincipalId(oid));
    RbacAuthorizer rbac = new RbacAuthorizer(store, BuiltInRoles.catalog());
    AcrAccess access = new AcrAccess(identity, directory, rbac, keys, store, principals, sealer);
    checks = new AccessChecks(store, access, principals);
    AcrTokenService tokens =
        new AcrTokenService(
            identity,
            new JwtTokenVerifier(identity, keys, principals),
            directory,
            rbac,
            keys,
            store,
            principals,
            sealer);
    MetadataStore metadata = MetadataStore.open(dir.resolve("registry"));
    RegistryDirectory registries = new RegistryDirectory(store);
    DistributionApi distribution =
        new DistributionApi(
            BlobStores.open("file:" + dir.resolve("registry")),
            metadata,
            access,
            Clock.systemUTC(),
            registries);
    RegistryHttp http = new RegistryHttp(tokens::handle, distribution::handle);
    diagnosis = RegistryPorts.diagnosis(store, access, metadata, sealer, Clock.systemUTC());

    // HTTPS, as every login server: the challenge's realm is https://<login server>/oauth2/token.
    Path ca = dir.resolve("ca.pem");
    ServerIdentity tls =
        LocalCertificateAuthority.loadOrCreate(ca, dir.resolve("ca.key"))
            .serverIdentity(
                dir.resolve("server.pem"), dir.resolve("server.key"), Set.of("127.0.0.1"));
    HttpConfiguration https = new HttpConfiguration();
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    secure.setSniHostCheck(false);
    https.addCustomizer(secure);
    jetty = new Server();
    ServerConnector connector =
        new ServerConnector(
            jetty,
            TlsProvider.JDK.connectionFactory(tls, "http/1.1"),
            new HttpConnectionFactory(https));
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    jetty.addConnector(connector);
    jetty.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback)
              throws Exception {
            http.handle(
                new HttpExchange(request, response, callback),
                registries.byLoginServer(loginServer()).orElseThrow());
            return true;
          }
        });
    jetty.start();
    loginServer = "127.0.0.1:" + connector.getLocalPort();
    puller = ImagePullers.create(dir.resolve("images"), Trust.onlyCa(ca));
    documents();
  }

  private String loginServer() {
    return loginServer;
  }

  private void documents() {
    registry(p -> {});
    put(
        REGISTRY.child("scopeMaps", "_repositories_pull"),
        """
        {"properties":{"type":"SystemDefined","actions":["repositories/*/content/read"]}}""");
    put(
        PULL_ID,
        """
        {"name":"pull-id","type":"Microsoft.ManagedIdentity/userAssignedIdentities",
         "properties":{"tenantId":"%s","principalId":"%s","clientId":"%s"}}"""
            .formatted(TENANT, PULL_ID_PRINCIPAL, UUID.randomUUID()));
    put(
        ENV,
        """
        {"name":"env1","type":"Microsoft.App/managedEnvironments",
         "properties":{"provisioningState":"Succeeded","outboundAddress":"%s"}}"""
            .formatted(OUTBOUND));
    ObjectNode admin = JSON.createObjectNode().put("username", "myacr");
    ArrayNode passwords = admin.putArray("passwords");
    for (String name : new String[] {"password", "password2"}) {
      passwords
          .addObject()
          .put("name", name)
          .put("value", sealer.seal("admin-" + name, SecretSlot.adminPassword(REGISTRY, name)));
    }
    store.put(AcrDocuments.adminCredentials(REGISTRY), admin, Precondition.NONE);
  }

  /** The registry document as the control plane stores it (defaults filled), then {@code edit}. */
  AgreementWorld registry(Consumer<ObjectNode> edit) {
    ObjectNode body =
        parse(
            """
            {"name":"myacr","type":"Microsoft.ContainerRegistry/registries","sku":{"name":"Premium"},
             "properties":{"loginServer":"%s","adminUserEnabled":false,"anonymousPullEnabled":false,
               "publicNetworkAccess":"Enabled","roleAssignmentMode":"LegacyRegistryPermissions",
               "networkRuleSet":{"defaultAction":"Allow","ipRules":[]},
               "policies":{"azureADAuthenticationAsArmPolicy":{"status":"enabled"}}},
             "berth":{"storageKey":"%s"}}"""
                .formatted(loginServer(), storageKey));
    edit.accept((ObjectNode) body.get("properties"));
    store.put(REGISTRY, body, Precondition.NONE);
    return this;
  }

  /** Assigns {@code roleGuid} on the registry to {@code principalId}, with a condition or none. */
  AgreementWorld grant(String principalId, String roleGuid, String condition) {
    ObjectNode props =
        JSON.createObjectNode()
            .put(
                "roleDefinitionId",
                "/subscriptions/"
                    + RG.subscriptionId().orElseThrow()
                    + "/providers/Microsoft.Authorization/roleDefinitions/"
                    + roleGuid)
            .put("principalId", principalId)
            .put("principalType", "ServicePrincipal")
            .put("scope", REGISTRY.value());
    if (condition != null) {
      props.put("condition", condition).put("conditionVersion", "2.0");
    }
    ObjectNode body = JSON.createObjectNode();
    body.set("properties", props);
    store.put(
        REGISTRY.provider(
            "Microsoft.Authorization", "roleAssignments", UUID.randomUUID().toString()),
        body,
        Precondition.NONE);
    return this;
  }

  /**
   * A token {@code name} with scope map {@code map} and one password entry, edited by {@code p}.
   */
  AgreementWorld token(String name, String map, String password, Consumer<ObjectNode> p) {
    ResourceId token = REGISTRY.child("tokens", name);
    put(
        token,
        """
        {"name":"%s","type":"Microsoft.ContainerRegistry/registries/tokens",
         "properties":{"scopeMapId":"%s","status":"enabled"}}"""
            .formatted(name, REGISTRY.child("scopeMaps", map).value()));
    ObjectNode entry = PasswordHashes.entry("password1", password, Optional.empty());
    p.accept(entry);
    ObjectNode doc = JSON.createObjectNode();
    doc.putArray("passwords").add(entry);
    store.put(AcrDocuments.tokenPasswords(token), doc, Precondition.NONE);
    return this;
  }

  /** A user-defined scope map with these actions. */
  AgreementWorld scopeMap(String name, String... actions) {
    ObjectNode body = JSON.createObjectNode();
    ArrayNode list = body.putObject("properties").put("type", "UserDefined").putArray("actions");
    for (String a : actions) {
      list.add(a);
    }
    store.put(REGISTRY.child("scopeMaps", name), body, Precondition.NONE);
    return this;
  }

  /** What one pull of {@code web}'s image got from the registry, and what the diagnosis says. */
  record Outcome(PullException error, Diagnosis diagnosis) {}

  /**
   * Stores the app ({@code identity} its {@code identity} block), pulls its image as Container Apps
   * would, and diagnoses the failure as the reconciler does.
   *
   * @throws AssertionError when the pull succeeds (no image is ever pushed here)
   */
  Outcome pull(String identity, Entry entry) throws Exception {
    ObjectNode app =
        parse(
            """
            {"name":"web","type":"Microsoft.App/containerApps","identity":%s,
             "properties":{"environmentId":"%s","configuration":{"secrets":[],"registries":[]}},
             "berth":{"systemIdentityClientId":"%s"}}"""
                .formatted(identity, ENV.value(), UUID.randomUUID()));
    ObjectNode config = (ObjectNode) app.at("/properties/configuration");
    RegistryCredential credential = new RegistryCredential.Anonymous();
    switch (entry) {
      case Entry.None n -> {}
      case Entry.Identity i -> {
        config
            .withArray("registries")
            .addObject()
            .put("server", loginServer)
            .put("identity", i.reference());
        credential = identityCredential(app, i.reference());
      }
      case Entry.Password p -> {
        config
            .withArray("registries")
            .addObject()
            .put("server", loginServer)
            .put("username", p.username())
            .put("passwordSecretRef", "reg-pass");
        config
            .withArray("secrets")
            .addObject()
            .put("name", "reg-pass")
            .put("value", sealer.seal(p.password(), SecretSlot.appSecret(APP, "reg-pass")));
        credential = new RegistryCredential.Basic(p.username(), p.password());
      }
    }
    StoredResource stored = store.put(APP, app, Precondition.NONE);
    ImageReference image = ImageReference.parse(loginServer + "/api:1.0");
    try {
      puller.pull(
          image, credential, Optional.of(InetAddress.getByName(OUTBOUND)), PullListener.NONE);
    } catch (PullException e) {
      Optional<JsonNode> registryEntry =
          entry instanceof Entry.None ? Optional.empty() : Optional.of(config.at("/registries/0"));
      return new Outcome(
          e, diagnosis.diagnose(new FailedPull(stored, "api", image, registryEntry, e)));
    }
    throw new AssertionError("the pull of " + image + " succeeded, but no image was pushed");
  }

  /**
   * A managed identity's credential, as Container Apps gets one: an ARM-audience token of the
   * identity, when the app has it. Without it no token can be had, and the pull reaches the
   * registry with no credential at all.
   */
  private RegistryCredential identityCredential(ObjectNode app, String reference) {
    JsonNode identity = app.path("identity");
    Optional<String> principal =
        reference.equalsIgnoreCase("system")
            ? Optional.ofNullable(identity.path("principalId").textValue())
            : Optional.ofNullable(
                identity
                    .path("userAssignedIdentities")
                    .path(reference)
                    .path("principalId")
                    .textValue());
    if (principal.isEmpty()) {
      return new RegistryCredential.Anonymous();
    }
    Principal p =
        new Principal(
            principal.get(), TENANT, "", Principal.PrincipalType.ServicePrincipal, reference);
    return new RegistryCredential.ManagedIdentity(
        reference, () -> issuer.issue(p, ARM_AUDIENCE, TokenIssuer.Version.V1).accessToken());
  }

  void put(ResourceId id, String json) {
    store.put(id, parse(json), Precondition.NONE);
  }

  static ObjectNode parse(String json) {
    try {
      return (ObjectNode) JSON.readTree(json);
    } catch (Exception e) {
      throw new IllegalArgumentException(json, e);
    }
  }

  @Override
  public void close() throws Exception {
    puller.close();
    jetty.stop();
    store.close();
  }
}
