package dev.berth.server;

import dev.berth.api.Principal;
import dev.berth.api.secrets.SecretSealer;
import dev.berth.client.Tls;
import dev.berth.controlplane.ArmApi;
import dev.berth.controlplane.ArmConfig;
import dev.berth.controlplane.ResourceType;
import dev.berth.controlplane.providers.app.AppProvider;
import dev.berth.controlplane.providers.app.LogStreamAccess;
import dev.berth.controlplane.providers.containerregistry.ContainerRegistryProvider;
import dev.berth.controlplane.providers.containerregistry.LoginServers;
import dev.berth.controlplane.providers.containerregistry.RegistryContent;
import dev.berth.controlplane.providers.managedidentity.ManagedIdentities;
import dev.berth.controlplane.providers.managedidentity.ManagedIdentityProvider;
import dev.berth.controlplane.providers.operationalinsights.OperationalInsightsProvider;
import dev.berth.http.HttpExchange;
import dev.berth.http.RouteHandler;
import dev.berth.http.Router;
import dev.berth.identity.BuiltInRoles;
import dev.berth.identity.IdentityConfig;
import dev.berth.identity.JwtTokenVerifier;
import dev.berth.identity.RbacAuthorizer;
import dev.berth.identity.SigningKeys;
import dev.berth.identity.StoreDirectory;
import dev.berth.identity.TokenEndpoints;
import dev.berth.identity.TokenIssuer;
import dev.berth.identity.UserAccounts;
import dev.berth.identity.UserSignIn;
import dev.berth.portal.Portal;
import dev.berth.portal.PortalSettings;
import dev.berth.reconciler.LogFiles;
import dev.berth.reconciler.RevisionTraffic;
import dev.berth.registry.RegistryDirectory;
import dev.berth.registry.RegistryHttp;
import dev.berth.registry.auth.AcrAccess;
import dev.berth.registry.auth.AcrTokenService;
import dev.berth.registry.blob.BlobStore;
import dev.berth.registry.distribution.DistributionApi;
import dev.berth.registry.distribution.MetadataStore;
import dev.berth.runtime.RuntimeFailure;
import dev.berth.server.imports.RegistryImageImports;
import dev.berth.server.ingress.IngressListeners;
import dev.berth.server.metrics.BerthMetrics;
import dev.berth.server.tls.Trust;
import dev.berth.store.ResourceStore;
import java.io.IOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wiring: builds the store, the identity services and the ARM API from the configuration, in
 * dependency order, and closes them in reverse. The one place that constructs every subsystem.
 */
final class Services implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Services.class);

  private final ResourceStore store;
  private final ExecutorService background;
  private final Router<RouteHandler> tokenRoutes;
  private final ArmApi arm;
  private final RegistryHttp registry;
  private final BootstrapInfo bootstrap;
  private final Optional<Bootstrap.FirstAdmin> firstAdmin;
  private final Optional<Replicas> replicas;
  private final Housekeeping housekeeping;
  private final BerthMetrics metrics;
  private final Portal portal;

  private Services(
      ResourceStore store,
      ExecutorService background,
      Router<RouteHandler> tokenRoutes,
      ArmApi arm,
      RegistryHttp registry,
      BootstrapInfo bootstrap,
      Optional<Bootstrap.FirstAdmin> firstAdmin,
      Optional<Replicas> replicas,
      Housekeeping housekeeping,
      BerthMetrics metrics,
      Portal portal) {
    this.portal = portal;
    this.store = store;
    this.metrics = metrics;
    this.background = background;
    this.tokenRoutes = tokenRoutes;
    this.arm = arm;
    this.registry = registry;
    this.bootstrap = bootstrap;
    this.firstAdmin = firstAdmin;
    this.replicas = replicas;
    this.housekeeping = housekeeping;
  }

  /** The running side of container apps, when this server runs replicas. */
  Optional<Replicas> replicas() {
    return replicas;
  }

  /** The chores beside the requests: recovery at start, pruning, purging, registry GC. */
  Housekeeping housekeeping() {
    return housekeeping;
  }

  RegistryHttp registry() {
    return registry;
  }

  /** The web portal, a client of this server's own API and token service. */
  Portal portal() {
    return portal;
  }

  /** The server's meters: what the ingress reports to and {@code GET /metrics} renders. */
  BerthMetrics metrics() {
    return metrics;
  }

  /**
   * @param base the scheme, host and port clients reach Berth on, e.g. {@code
   *     https://127.0.0.1:8443}
   * @param ingress the apps' listeners, bound: their ports go to bootstrap.json
   * @param blobs the registries' blobs, opened where the configuration says
   */
  static Services create(
      ServerConfig config,
      URI base,
      ResourceStore store,
      BlobStore blobs,
      SigningKeys keys,
      LoginServers loginServers,
      IngressListeners ingress,
      RevisionTraffic traffic)
      throws IOException {
    DataDir dir = config.dataDir();
    ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();
    BerthMetrics metrics = new BerthMetrics(store);
    try {
      Bootstrap bootstrap = new Bootstrap(dir);
      String tenantId = bootstrap.tenantId(store);
      String authority = base.toString();
      String managementEndpoint = authority + "/";

      // Before any provider reads or writes a secret: the key, checked against the store, and
      // the store's secrets all sealed with it.
      SecretSealer sealer = SecretsKey.open(config, store);
      IdentityConfig identity = IdentityConfig.of(tenantId, base, dir.signingKeys());
      StoreDirectory directory = new StoreDirectory(store, tenantId, Clock.systemUTC());
      UserAccounts users = new UserAccounts(store, tenantId, Clock.systemUTC());
      TokenIssuer issuer = new TokenIssuer(identity, keys);
      // Tokens may name service principals, users, user-assigned identities or apps' system
      // identities.
      ManagedIdentities managedIdentities = ManagedIdentities.of(store);
      Function<String, Optional<Principal>> principals =
          oid ->
              directory
                  .findByObjectId(oid)
                  .or(() -> users.findByObjectId(oid))
                  .or(() -> managedIdentities.byPrincipalId(oid));
      JwtTokenVerifier verifier = new JwtTokenVerifier(identity, keys, principals);
      BuiltInRoles roles = BuiltInRoles.catalog();
      RbacAuthorizer rbac = new RbacAuthorizer(store, roles);

      // The registry's data plane keeps repositories on disk, blobs in the blob store (the data
      // directory, or Azure Blob Storage); a registry's delete removes its repositories (its blobs
      // go at the next collection).
      MetadataStore metadata = MetadataStore.open(dir.registry());
      RegistryContent content =
          (registry, key) -> {
            if (metadata.deleteRegistry(key)) {
              LOG.info("deleted the repositories of registry {} (storage {})", registry, key);
            }
          };

      // ACR tokens are signed with the same keys as Entra tokens. The registry refuses tokens of
      // principals deleted since they were issued. The access check comes before the ARM layer:
      // check-access answers with it.
      AcrAccess access = new AcrAccess(identity, directory, rbac, keys, store, principals, sealer);
      RevisionDiagnostics diagnostics = new RevisionDiagnostics();
      ReplicaTeardowns teardowns = new ReplicaTeardowns();
      AcrTokenService acrTokens =
          new AcrTokenService(identity, verifier, directory, rbac, keys, store, principals, sealer);
      DistributionApi distribution =
          new DistributionApi(
              blobs, metadata, access, Clock.systemUTC(), new RegistryDirectory(store));
      // importImage copies from other registries, which may be Berth's own (its CA) or public.
      RegistryImageImports imports =
          new RegistryImageImports(
              distribution.writer(),
              distribution.reader(),
              access::pullDecision,
              trustForImports(dir));

      List<ResourceType> providers = new ArrayList<>();
      providers.addAll(
          ContainerRegistryProvider.resourceTypes(
              store, loginServers, content, imports, Clock.systemUTC(), sealer));
      providers.addAll(ManagedIdentityProvider.resourceTypes(store, tenantId, Clock.systemUTC()));
      // The apps' and environments' log streams are served on this endpoint, with tokens from
      // getAuthToken (docs/provider-app.md, "Log streams").
      FileLogStreams logStreams = new FileLogStreams(new LogFiles(dir.logs()));
      LogStreamAccess streams = LogStreamAccess.of(base, Clock.systemUTC());
      providers.addAll(
          AppProvider.managedEnvironmentTypes(
              store, new LoopbackOutboundAddresses(store), sealer, logStreams, streams));
      providers.addAll(
          AppProvider.containerAppTypes(
              store,
              tenantId,
              Clock.systemUTC(),
              // With --runtime none apps are only stored: a write must not wait for a revision
              // that nothing will run.
              config.replicas().enabled()
                  ? AppProvider.PROVISIONING_TIMEOUT
                  : AppProvider.NOTHING_RUNS,
              sealer,
              logStreams,
              streams,
              teardowns));
      providers.addAll(OperationalInsightsProvider.resourceTypes(sealer, Clock.systemUTC()));
      providers =
          new ArrayList<>(
              DiagnosisRoutes.add(
                  providers, store, diagnostics, new AccessChecks(store, access, principals)));
      ArmApi arm =
          new ArmApi(
              ArmConfig.of(tenantId, managementEndpoint, authority, identity.managementAudiences())
                  .withIngressHttpsPort(ingress.httpsPort()),
              store,
              verifier,
              rbac,
              roles,
              directory,
              background,
              providers,
              Optional.of(metrics));

      RegistryHttp registry = new RegistryHttp(acrTokens::handle, distribution::handle);
      Housekeeping housekeeping =
          new Housekeeping(arm, blobs, distribution.garbageCollector(), config.housekeeping());
      Router<RouteHandler> tokenRoutes =
          new Router<>(
              new TokenEndpoints(
                      identity,
                      directory,
                      issuer,
                      keys,
                      Optional.of(new UserSignIn(identity, users, issuer)))
                  .routes());
      Bootstrap.Result booted =
          bootstrap.ensure(
              store,
              directory,
              users,
              managementEndpoint,
              authority,
              ingress.httpsPort(),
              ingress.httpPort());
      Optional<Replicas> replicas = Optional.empty();
      if (config.replicas().enabled()) {
        try {
          replicas =
              Optional.of(
                  Replicas.open(
                      config.replicas(),
                      dir,
                      store,
                      identity,
                      issuer,
                      access,
                      metadata,
                      sealer,
                      traffic,
                      config.tls().effective()));
        } catch (RuntimeFailure e) {
          throw new IOException(
              "cannot run replicas: " + e.getMessage() + " (or start with --runtime none)", e);
        }
      }
      replicas.ifPresent(
          r -> {
            diagnostics.attach(r.reconciler());
            teardowns.attach(r.reconciler());
            DiagnosisRoutes.healOnPush(metadata, store, r.reconciler());
          });
      // After the bootstrap: recovery reads the store the bootstrap completes.
      housekeeping.start(background);
      // The portal calls the API and the token service on this server's own endpoint.
      Portal portal =
          Portal.create(
              new PortalSettings(
                  URI.create(managementEndpoint),
                  base,
                  tenantId,
                  Tls.httpClient(Optional.of(dir.caCertificate())),
                  Clock.systemUTC(),
                  ingress.httpsPort()));
      return new Services(
          store,
          background,
          tokenRoutes,
          arm,
          registry,
          booted.info(),
          booted.firstAdmin(),
          replicas,
          housekeeping,
          metrics,
          portal);
    } catch (IOException | RuntimeException e) {
      metrics.close();
      background.shutdownNow();
      store.close();
      throw e;
    }
  }

  Router<RouteHandler> tokenRoutes() {
    return tokenRoutes;
  }

  void handleArm(HttpExchange exchange) {
    arm.handle(exchange);
  }

  BootstrapInfo bootstrap() {
    return bootstrap;
  }

  /** The admin user made at this start, with its password (only at the first start). */
  Optional<Bootstrap.FirstAdmin> firstAdmin() {
    return firstAdmin;
  }

  @Override
  public void close() throws IOException {
    replicas.ifPresent(Replicas::close);
    background.shutdownNow();
    metrics.close();
    store.close();
  }

  private static SSLContext trustForImports(DataDir dir) throws IOException {
    try {
      return Trust.caAndSystem(dir.caCertificate());
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot load the CA for image imports", e);
    }
  }
}
