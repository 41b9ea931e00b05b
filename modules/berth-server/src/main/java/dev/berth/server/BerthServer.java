package dev.berth.server;

import dev.berth.api.azcli.AzCloudSetup;
import dev.berth.controlplane.ArmConfig;
import dev.berth.http.RouteHandler;
import dev.berth.http.Router;
import dev.berth.identity.SigningKeys;
import dev.berth.ingress.Activations;
import dev.berth.ingress.IngressServer;
import dev.berth.ingress.IngressSettings;
import dev.berth.ingress.IngressWiring;
import dev.berth.ingress.RequestLoad;
import dev.berth.portal.Portal;
import dev.berth.reconciler.ReplicaLabels;
import dev.berth.registry.RegistryDirectory;
import dev.berth.registry.blob.BlobStore;
import dev.berth.server.ingress.IngressCertificates;
import dev.berth.server.ingress.IngressListeners;
import dev.berth.server.ingress.IngressTraffic;
import dev.berth.server.ingress.StoredRouteTable;
import dev.berth.server.limits.ListenerLimits;
import dev.berth.server.tls.LocalCertificateAuthority;
import dev.berth.server.tls.ServerIdentity;
import dev.berth.server.tls.TlsProvider;
import dev.berth.store.ResourceStore;
import dev.berth.store.ResourceStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.LoggerFactory;

/**
 * A running Berth: the store, the identity and ARM services wired together behind one HTTPS port.
 * {@link #start} returns once the port accepts requests; {@link #close} stops everything.
 */
public final class BerthServer implements AutoCloseable {

  private final ServerConfig config;
  private final Server jetty;
  private final ServerConnector connector;
  private final Services services;
  private final RegistryListeners registries;
  private final TlsProvider tlsProvider;
  private final ListenerLimits limits;
  private final DataDirLock lock;
  private final StoredRouteTable routes;
  private final IngressListeners ingress;

  private BerthServer(
      ServerConfig config,
      Server jetty,
      ServerConnector connector,
      Services services,
      RegistryListeners registries,
      TlsProvider tlsProvider,
      ListenerLimits limits,
      DataDirLock lock,
      StoredRouteTable routes,
      IngressListeners ingress) {
    this.config = config;
    this.routes = routes;
    this.ingress = ingress;
    this.limits = limits;
    this.lock = lock;
    this.tlsProvider = tlsProvider;
    this.jetty = jetty;
    this.connector = connector;
    this.services = services;
    this.registries = registries;
  }

  /**
   * Creates what a first start needs, wires the services, and starts listening. Returns once every
   * listener accepts: the API's port opens last, so a client it answers finds the registries' and
   * the identity endpoint's ports open too.
   *
   * @throws IllegalStateException when another Berth runs on the same data directory (nothing is
   *     touched then)
   */
  public static BerthServer start(ServerConfig config) throws Exception {
    DataDir dir = config.dataDir();
    // Initialise logging on this thread: SLF4J warns when several threads race to do it.
    LoggerFactory.getLogger(BerthServer.class);
    // Before anything reads or writes the directory: a second Berth on it stops here.
    DataDirLock lock = DataDirLock.acquire(dir);
    try {
      return start(config, lock);
    } catch (Exception | Error e) {
      lock.close();
      throw e;
    }
  }

  /** Wakes a revision's replicas for the activator; none when this server runs no replicas. */
  private static Activations activations(Services services) {
    return services
        .replicas()
        .<Activations>map(replicas -> replicas::wake)
        .orElse(Activations.NONE);
  }

  private static BerthServer start(ServerConfig config, DataDirLock lock) throws Exception {
    DataDir dir = config.dataDir();
    // Before anything opens a file in it: the data directory is its owner's only.
    secureDataDir(dir);
    // The slow, independent pieces of a start run side by side: TLS material (a first start
    // creates the CA), the store (SQLite's native library, migrations), the signing keys and the
    // TLS engine.
    try (ExecutorService startup = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<LocalCertificateAuthority> ca =
          startup.submit(
              () -> LocalCertificateAuthority.loadOrCreate(dir.caCertificate(), dir.caKey()));
      Future<ServerIdentity> tls =
          startup.submit(
              () ->
                  await(ca)
                      .serverIdentity(
                          dir.serverCertificate(), dir.serverKey(), config.certificateNames()));
      Future<ResourceStore> store = startup.submit(() -> ResourceStores.open(config.storeUrl()));
      // Blobs elsewhere than the registries' would answer every pull BLOB_UNKNOWN: checked first.
      Future<BlobStore> blobs = startup.submit(() -> BlobLocation.open(config));
      Future<SigningKeys> keys = startup.submit(() -> SigningKeys.loadOrCreate(dir.signingKeys()));
      // Loading BoringSSL means unpacking its native library and probing it: 0.4-0.5 s.
      Future<TlsProvider> engine = startup.submit(() -> config.tls().effective());

      ListenerLimits limits = ListenerLimits.newServer(config.limits());
      Server jetty = limits.server();
      ServerIdentity identity = await(tls);
      TlsProvider tlsProvider = await(engine);
      ServerConnector connector =
          httpsConnector(limits, identity, tlsProvider, config.host(), config.port());
      // Bind first, so that an ephemeral port (0) is known before the endpoints are computed. The
      // connector joins the server last (below): Jetty starts listeners in order.
      connector.open();
      URI base =
          URI.create("https://" + hostForUrls(config.host()) + ":" + connector.getLocalPort());
      lock.publish(URI.create(base + "/"));

      ResourceStore opened;
      BlobStore blobsOpened;
      try {
        opened = await(store);
        blobsOpened = await(blobs);
      } catch (Exception e) {
        // A store that cannot be opened (a database that does not answer, or has another Berth;
        // a blob container refused) leaves no listener bound behind it.
        connector.close();
        if (store.state() == Future.State.SUCCESS) {
          store.resultNow().close();
        }
        throw e;
      }
      // The apps' routes, kept from the store; their listeners bound now, accepting with the rest.
      StoredRouteTable routes = StoredRouteTable.open(opened);
      IngressListeners ingress;
      IngressCertificates ingressCertificates =
          new IngressCertificates(await(ca), dir.ingressCertificates(), identity, routes::domains);
      try {
        ingress =
            IngressListeners.open(
                new IngressServer(limits.ingress()),
                config.host(),
                config.ingress(),
                ingressCertificates,
                await(engine));
      } catch (IOException | RuntimeException e) {
        routes.close();
        throw e;
      }
      RegistryListeners registries =
          new RegistryListeners(
              jetty,
              port -> httpsConnector(limits, identity, tlsProvider, config.host(), port),
              config.registryDomain(),
              connector.getLocalPort(),
              new RegistryDirectory(opened),
              config.registryDomain().isPresent()
                  ? Optional.empty()
                  : HostsFile.system(dir.root()));
      // The ingress counts each revision's requests; the autoscalers read them from here.
      RequestLoad load = new RequestLoad();
      Services services =
          Services.create(
              config,
              base,
              opened,
              blobsOpened,
              await(keys),
              registries,
              ingress,
              new IngressTraffic(load));
      Optional<Router<RouteHandler>> identityRoutes =
          services.replicas().map(Replicas::identityRoutes);
      int identityPort = services.replicas().isPresent() ? Replicas.IDENTITY_PORT : -1;
      try {
        if (services.replicas().isPresent()) {
          // Plain HTTP on the bridge's gateway: only replicas reach it, as in Container Apps.
          HttpConfiguration http = limits.configure(new HttpConfiguration());
          http.setSendServerVersion(false);
          ServerConnector identityConnector =
              limits.identityListener(new HttpConnectionFactory(http));
          identityConnector.setHost(services.replicas().get().gatewayAddress().getHostAddress());
          identityConnector.setPort(Replicas.IDENTITY_PORT);
          jetty.addConnector(identityConnector);
        }
        // Replicas call internal apps (and any app) on the bridge's gateway, the ingress' ports.
        Optional<String> environmentHost =
            services.replicas().map(r -> r.gatewayAddress().getHostAddress());
        if (environmentHost.isPresent()) {
          ingress.openOnEnvironment(environmentHost.get());
        }
        if (services.replicas().isPresent()) {
          // Registries listen for replicas on the gateway too, and replicas get their names and
          // Berth's CA (docs/registry.md, "Replicas").
          Replicas replicas = services.replicas().get();
          String gateway = replicas.gatewayAddress().getHostAddress();
          registries.serveReplicas(
              gateway,
              listensEverywhere(config.host())
                  ? Optional.empty()
                  : Optional.of(
                      port -> httpsConnector(limits, identity, tlsProvider, gateway, port)),
              replicas::refreshExtras);
          // And the apps' names, at the gateway where the ingress listens for them, so that one
          // app calls another by the URL Berth prints, or by its bare name within its environment
          // (docs/ingress.md, "Internal ingress").
          ReplicaRegistryExtras registryExtras =
              new ReplicaRegistryExtras(
                  registries::replicaLoginServers, await(ca).certificatePem(), dir.replicaCerts());
          replicas.useExtras(
              labels ->
                  registryExtras
                      .get()
                      .withHosts(
                          ReplicaAppHosts.of(
                              routes.hostsFor(ReplicaLabels.appOf(labels)), gateway)));
          routes.whenHostsChange(replicas::refreshExtras);
        }
        // Bound now, accepting once the server starts: before the API's port does.
        registries.openAll();
        jetty.addConnector(connector);
        BerthHandler apis =
            new BerthHandler(
                services.tokenRoutes(),
                services::handleArm,
                registries,
                services.registry(),
                identityPort,
                identityRoutes,
                services.portal()::handle);
        // Plain HTTP redirects name the HTTPS port when it is not 443.
        IngressSettings settings =
            IngressSettings.defaults()
                .withHttpsPort(ingress.httpsPort() > 0 ? ingress.httpsPort() : 443);
        jetty.setHandler(limits.around(apis));
        ingress
            .server()
            .start(
                routes,
                settings,
                IngressWiring.none()
                    .withScaling(load, activations(services))
                    // To the gateway from another address of the bridge: a replica (the host
                    // itself calls the gateway from the gateway's own address).
                    .withEnvironment(
                        caller ->
                            environmentHost.isPresent()
                                && environmentHost.get().equals(caller.localAddress())
                                && !environmentHost.get().equals(caller.peerAddress()))
                    .withObserver(services.metrics().ingress()));
        // Requests Jetty refuses itself get the envelope of the API they were for, not HTML.
        jetty.setErrorHandler(new ProtocolErrors(registries::addresses));
        jetty.setStopAtShutdown(false);
        jetty.start();
        services.replicas().ifPresent(replicas -> replicas.start(base));
      } catch (Exception e) {
        registries.close();
        ingress.close();
        routes.close();
        try {
          jetty.stop();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
        services.close();
        throw e;
      }
      return new BerthServer(
          config,
          jetty,
          connector,
          services,
          registries,
          tlsProvider,
          limits,
          lock,
          routes,
          ingress);
    }
  }

  /**
   * Checks and repairs the data directory's modes (0700 folders, 0600 files); says what changed.
   */
  private static void secureDataDir(DataDir dir) throws IOException {
    long started = System.nanoTime();
    PrivateDataDir.Repair repair = PrivateDataDir.secure(dir);
    long millis = (System.nanoTime() - started) / 1_000_000;
    var log = LoggerFactory.getLogger(BerthServer.class);
    if (repair.changed().isEmpty()) {
      log.debug(
          "data directory {}: {} entries private ({} ms)", dir.root(), repair.checked(), millis);
    } else {
      log.warn(
          "data directory {}: made {} of {} entries readable by their owner only ({} ms): {}",
          dir.root(),
          repair.changed().size(),
          repair.checked(),
          millis,
          repair.changed().stream().limit(20).toList());
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  /** An HTTPS connector with its own TLS context: the main port and each registry's port. */
  private static ServerConnector httpsConnector(
      ListenerLimits limits, ServerIdentity tls, TlsProvider provider, String host, int port) {
    HttpConfiguration http = limits.configure(new HttpConfiguration());
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    // The Azure SDKs join a base URL ending in "/" with paths starting with "/": ARM accepts the
    // resulting "//subscriptions/…", so Berth does too (empty segments are dropped when routing).
    // The registry SDK sends repository names with their slash encoded (/acr/v1/team%2Fapp/_tags).
    http.setUriCompliance(
        UriCompliance.DEFAULT.with(
            "berth",
            UriCompliance.Violation.AMBIGUOUS_EMPTY_SEGMENT,
            UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR));
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    // Clients reach Berth by IP literal and by names the certificate covers; SNI is optional.
    secure.setSniHostCheck(false);
    http.addCustomizer(secure);
    ServerConnector connector =
        limits.publicListener(
            provider.connectionFactory(tls, "http/1.1"), new HttpConnectionFactory(http));
    connector.setHost(host);
    connector.setPort(port);
    return connector;
  }

  /** Whether a listener on {@code host} takes every address of the machine. */
  private static boolean listensEverywhere(String host) {
    return host.equals("0.0.0.0") || host.equals("::");
  }

  private static String hostForUrls(String host) {
    if (host.equals("0.0.0.0") || host.equals("::")) {
      return "127.0.0.1";
    }
    return host.contains(":") ? "[" + host + "]" : host;
  }

  /** The port the server listens on (useful when started on port 0). */
  public int port() {
    return connector.getLocalPort();
  }

  /** The web portal this server serves at {@code /portal}. */
  public Portal portal() {
    return services.portal();
  }

  public BootstrapInfo bootstrap() {
    return services.bootstrap();
  }

  /**
   * The user {@code admin} and its password when this start made it (the first start); the banner
   * shows it once and Berth stores it nowhere.
   */
  public Optional<Bootstrap.FirstAdmin> firstAdmin() {
    return services.firstAdmin();
  }

  /** The chores beside the requests (recovery, pruning, registry GC), for tests to trigger. */
  Housekeeping housekeeping() {
    return services.housekeeping();
  }

  public ServerConfig config() {
    return config;
  }

  /** The TLS engine the HTTPS listeners run on: {@code config().tls()} as this machine allows. */
  public TlsProvider tlsProvider() {
    return tlsProvider;
  }

  /** What {@code berth up} prints once ready. */
  String banner(long readyMillis) {
    BootstrapInfo b = bootstrap();
    return """
        Berth is ready in %d ms.

          API (ARM):        %s
          Token service:    %s/%s/oauth2/v2.0/token   (az, ADFS mode: %s/adfs)
          CA certificate:   %s
          Credentials:      %s  (tenant, subscription, Owner service principal)
          Resources:        %s
          Registry blobs:   %s
          TLS engine:       %s
          Apps (ingress):   %s

        %sLog in:
          bin/berth login%s

        Set az up (eval "$(bin/berth az-setup%s)", or run it with --run):
          %s

        Press Ctrl-C to stop.
        """
        .formatted(
            readyMillis,
            b.managementEndpoint(),
            b.authority(),
            b.tenantId(),
            b.authority(),
            b.caFile(),
            config.dataDir().bootstrapFile(),
            config.storeName(),
            config.blobs().orElseGet(() -> config.dataDir().registry().toString()),
            tlsProvider == TlsProvider.BORINGSSL
                ? "BoringSSL (netty-tcnative)"
                : "the JDK's (JSSE)",
            ingressLine(),
            firstAdminLines(b),
            config
                    .dataDir()
                    .root()
                    .equals(new DataDir(Path.of(System.getProperty("user.home"), ".berth")).root())
                ? ""
                : " --data-dir " + config.dataDir().root(),
            dataDirOption(),
            azSetup(b).script().strip().replace("\n", "\n  "));
  }

  /** The first admin's sign-in, once: only the first start has a password to show. */
  private String firstAdminLines(BootstrapInfo b) {
    return firstAdmin()
        .map(
            a ->
                """
                Portal sign-in (shown only this once; Berth keeps only a hash):
                  %s/portal
                  user name: %s
                  password:  %s
                  (a new one: bin/berth user reset-password --name %s)

                """
                    .formatted(
                        b.managementEndpoint().replaceAll("/+$", ""),
                        a.userName(),
                        a.password(),
                        a.userName()))
        .orElse("");
  }

  /** {@code --data-dir DIR} unless the data directory is the default one. */
  private String dataDirOption() {
    return config
            .dataDir()
            .root()
            .equals(new DataDir(Path.of(System.getProperty("user.home"), ".berth")).root())
        ? ""
        : " --data-dir " + config.dataDir().root();
  }

  /** What {@code berth az-setup} prints for this Berth (one source: {@link AzCloudSetup}). */
  private AzCloudSetup azSetup(BootstrapInfo b) {
    return new AzCloudSetup(
        "Berth",
        b.managementEndpoint(),
        b.authority(),
        b.managementEndpoint(),
        ArmConfig.ACR_LOGIN_SERVER_SUFFIX,
        b.tenantId(),
        b.clientId(),
        config.dataDir().bootstrapFile(),
        Path.of(b.caFile()));
  }

  /** Where apps answer, for the banner. */
  private String ingressLine() {
    if (ingress.httpsPort() == 0 && ingress.httpPort() == 0) {
      return "off";
    }
    String https =
        ingress.httpsPort() == 0
            ? "no HTTPS"
            : "https://<app>.<environment domain>"
                + (ingress.httpsPort() == 443 ? "" : ":" + ingress.httpsPort())
                + "/";
    String http = ingress.httpPort() == 0 ? "no HTTP" : "HTTP on port " + ingress.httpPort();
    return https + "  (" + http + ")";
  }

  /** The ports registries listen on (their login servers are {@code localhost:<port>}). */
  public Set<Integer> registryPorts() {
    return registries.ports();
  }

  /** How many replicas this server's runtime holds (0 without a runtime). */
  int replicaCount() {
    return services.replicas().map(Replicas::count).orElse(0);
  }

  /**
   * Stops reconciling and every replica, for a test that must leave the machine as it found it (a
   * plain {@link #close()} leaves replicas running for the next start to adopt).
   */
  void closeAndStopReplicas() {
    services.replicas().ifPresent(Replicas::stopAll);
    close();
  }

  /** The limits on this server's listeners, and what they count. */
  public ListenerLimits limits() {
    return limits;
  }

  /** The apps' HTTPS port, 0 when that listener is off. */
  public int ingressHttpsPort() {
    return ingress.httpsPort();
  }

  /** The apps' HTTP port, 0 when that listener is off. */
  public int ingressHttpPort() {
    return ingress.httpPort();
  }

  @Override
  public void close() {
    registries.close();
    ingress.close();
    try {
      routes.close();
    } catch (Exception e) {
      // best effort, as stopping Jetty below
    }
    try {
      jetty.stop();
    } catch (Exception e) {
      // stopping is best effort; the store still closes below
    }
    try {
      services.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      // Last: the directory is free for the next Berth only once this one is done with it.
      lock.close();
    }
  }
}
