package dev.berth.server;

import dev.berth.api.ResourceId;
import dev.berth.api.secrets.SecretSealer;
import dev.berth.http.RouteHandler;
import dev.berth.http.Router;
import dev.berth.identity.AppIdentities;
import dev.berth.identity.IdentityConfig;
import dev.berth.identity.ManagedIdentityEndpoint;
import dev.berth.identity.ReplicaIdentityTable;
import dev.berth.identity.TokenIssuer;
import dev.berth.reconciler.PullFailureExplainer;
import dev.berth.reconciler.Reconciler;
import dev.berth.reconciler.ReconcilerConfig;
import dev.berth.reconciler.RevisionTraffic;
import dev.berth.reconciler.diagnosis.PullDiagnosis;
import dev.berth.registry.auth.AcrAccess;
import dev.berth.registry.distribution.MetadataStore;
import dev.berth.runtime.ReplicaExtras;
import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.image.ImagePuller;
import dev.berth.runtime.image.ImagePullers;
import dev.berth.runtime.runc.RuncConfig;
import dev.berth.runtime.runc.RuncRuntime;
import dev.berth.server.ServerConfig.ReplicaSettings;
import dev.berth.server.tls.TlsProvider;
import dev.berth.server.tls.Trust;
import dev.berth.store.ResourceStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running side of container apps, wired: the runc runtime, the image puller, the reconciler
 * with its pull diagnosis (over the registry's own access rules and tags), and the managed-identity
 * endpoint that replicas call on the bridge's gateway address.
 */
final class Replicas implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Replicas.class);

  /** The port of the identity endpoint, Container Apps' own. */
  static final int IDENTITY_PORT = 42356;

  private final RuncRuntime runtime;
  private final ImagePuller puller;
  private final Reconciler reconciler;
  private final Router<RouteHandler> identityRoutes;

  private Replicas(
      RuncRuntime runtime,
      ImagePuller puller,
      Reconciler reconciler,
      Router<RouteHandler> identityRoutes) {
    this.runtime = runtime;
    this.puller = puller;
    this.reconciler = reconciler;
    this.identityRoutes = identityRoutes;
  }

  /**
   * Opens the runtime (adopting what an earlier Berth left running) and builds the rest; nothing
   * runs until {@link #start()}.
   *
   * @param tls the HTTPS listeners' TLS provider: the image puller's connections run on it too
   * @throws RuntimeFailure naming what is missing (root, runc, iproute2, overlay)
   */
  static Replicas open(
      ReplicaSettings settings,
      DataDir dir,
      ResourceStore store,
      IdentityConfig identity,
      TokenIssuer issuer,
      AcrAccess access,
      MetadataStore metadata,
      SecretSealer sealer,
      RevisionTraffic traffic,
      TlsProvider tls)
      throws RuntimeFailure, IOException {
    RuncRuntime runtime =
        RuncRuntime.open(
            RuncConfig.defaults(dir.runtime())
                .withNetwork(settings.network(), settings.bridge())
                .withNamePrefix(settings.prefix()));
    try {
      TrustManagerFactory trust = Trust.caAndSystemManagers(dir.caCertificate());
      ImagePuller puller =
          ImagePullers.create(dir.images(), Trust.context(trust), Set.of(), tls.clientTls(trust));
      PullDiagnosis diagnosis =
          RegistryPorts.diagnosis(store, access, metadata, sealer, Clock.systemUTC());
      InetAddress gateway = runtime.gatewayAddress();
      String endpoint =
          "http://" + gateway.getHostAddress() + ":" + IDENTITY_PORT + ManagedIdentityEndpoint.PATH;
      ReconcilerConfig config =
          ReconcilerConfig.defaults(
                  dir.logs(), "https://management.azure.com/", Optional.of(endpoint))
              .withScale(settings.scale());
      // The one table of replicas' identity headers: the reconciler fills it, the runtime gives
      // it each replica's address, the endpoint asks it.
      ReplicaIdentityTable identities = new ReplicaIdentityTable(AppIdentities.of(store));
      Reconciler reconciler =
          new Reconciler(
              config,
              store,
              runtime,
              puller,
              issuer,
              PullFailureExplainer.diagnosing(diagnosis, store),
              sealer,
              identities,
              traffic,
              Clock.systemUTC());
      Router<RouteHandler> identityRoutes =
          new Router<>(new ManagedIdentityEndpoint(identity, issuer, identities).routes());
      return new Replicas(runtime, puller, reconciler, identityRoutes);
    } catch (IOException | RuntimeException | GeneralSecurityException e) {
      runtime.close();
      throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
    }
  }

  /** Where replicas reach the identity endpoint: the bridge's gateway address. */
  InetAddress gatewayAddress() {
    return runtime.gatewayAddress();
  }

  /**
   * Where replicas get the host's names and files from ({@link ReplicaExtras}), by the replica's
   * labels.
   */
  void useExtras(Function<Map<String, String>, ReplicaExtras> extras) {
    runtime.useExtras(extras);
  }

  /** The host's names for replicas changed: running replicas' hosts files get them at once. */
  void refreshExtras() {
    runtime.refreshExtras();
  }

  Router<RouteHandler> identityRoutes() {
    return identityRoutes;
  }

  /**
   * Starts reconciling: call once the registries listen (pulls go to them).
   *
   * @param ownEndpoint Berth's own HTTPS endpoint, where the puller makes its first TLS handshake
   *     before any deploy needs one
   */
  void start(URI ownEndpoint) {
    puller.warmUp(ownEndpoint);
    reconciler.start();
  }

  /**
   * Requests wait for {@code revision} (a resource id's key, as the ingress routes carry it) with
   * no ready replica: its autoscaler decides now.
   */
  void wake(String revision) {
    ResourceId.tryParse(revision).ifPresent(reconciler::wake);
  }

  /** The reconciler, for the diagnosis' routes and the registry's push wake-ups. */
  Reconciler reconciler() {
    return reconciler;
  }

  int count() {
    return runtime.list().size();
  }

  /** Stops reconciling, then every replica (tests; a machine being cleared). */
  void stopAll() {
    try {
      // A pass that was starting a replica must have started it before the list below is read,
      // or that replica would outlive the stop.
      if (!reconciler.closeAndAwaitPasses(Duration.ofSeconds(60))) {
        LOG.warn("reconciler passes still running after 60 s; stopping the replicas there are");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    runtime.list().forEach(r -> runtime.stop(r.name()));
  }

  /** Stops reconciling; replicas keep running, to be adopted by the next start. */
  @Override
  public void close() {
    reconciler.close();
    puller.close();
    runtime.close();
  }
}
