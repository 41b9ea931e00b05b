package dev.berth.reconciler;

import dev.berth.api.ResourceId;
import dev.berth.api.app.AppTypes;
import dev.berth.api.secrets.SecretSealer;
import dev.berth.identity.ReplicaIdentityTable;
import dev.berth.identity.TokenIssuer;
import dev.berth.reconciler.diagnosis.Diagnosis;
import dev.berth.reconciler.internal.Probes;
import dev.berth.reconciler.internal.PullPlanner;
import dev.berth.reconciler.internal.RevisionWorker;
import dev.berth.reconciler.internal.WorkQueue;
import dev.berth.runtime.ReplicaRuntime;
import dev.berth.runtime.ReplicaStatus;
import dev.berth.runtime.image.ImagePuller;
import dev.berth.store.Query;
import dev.berth.store.ResourceStore;
import dev.berth.store.StoredResource;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The container-app reconcilers: revisions to replicas. Level-triggered: a store change (through
 * {@link ResourceStore#watch}), a replica's exit, a timer or the periodic resync each make a
 * revision's worker look at the whole revision again and do what is missing. The ARM layer writes
 * the revisions' desired state; this writes what it observes back ({@code provisioningState},
 * {@code runningState}, replicas).
 *
 * <p>On start it adopts what the runtime still runs: replicas of revisions that still want them are
 * kept, the rest stopped — no orphans, no duplicates.
 */
public final class Reconciler implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

  /** What an app's documents' types start with: the app's, its revisions', its replicas'. */
  private static final String APP_TYPES = AppTypes.CONTAINER_APP.toLowerCase(Locale.ROOT);

  private final ResourceStore store;
  private final ReplicaRuntime runtime;
  private final ImagePuller puller;
  private final ReconcilerConfig config;
  private final RevisionWorker worker;
  private final WorkQueue<ResourceId> queue;
  private final ReplicaIdentityTable identities;
  private final RevisionTraffic traffic;
  private AutoCloseable watch;
  private Thread resync;

  public Reconciler(
      ReconcilerConfig config,
      ResourceStore store,
      ReplicaRuntime runtime,
      ImagePuller puller,
      TokenIssuer issuer,
      PullFailureExplainer explainer,
      SecretSealer sealer,
      ReplicaIdentityTable identities,
      Clock clock) {
    this(
        config,
        store,
        runtime,
        puller,
        issuer,
        explainer,
        sealer,
        identities,
        RevisionTraffic.NONE,
        clock);
  }

  /**
   * A reconciler whose revisions scale with the requests {@code traffic} reports, and whose
   * replicas are drained of them before they stop.
   */
  public Reconciler(
      ReconcilerConfig config,
      ResourceStore store,
      ReplicaRuntime runtime,
      ImagePuller puller,
      TokenIssuer issuer,
      PullFailureExplainer explainer,
      SecretSealer sealer,
      ReplicaIdentityTable identities,
      RevisionTraffic traffic,
      Clock clock) {
    this.store = store;
    this.traffic = traffic;
    this.runtime = runtime;
    this.puller = puller;
    this.config = config;
    this.queue = new WorkQueue<>("reconciler", this::handle, clock);
    this.worker =
        RevisionWorker.create(
            config,
            store,
            runtime,
            puller,
            issuer,
            explainer,
            sealer,
            identities,
            traffic,
            clock,
            queue::submitAfter,
            Probes::passes);
    this.identities = identities;
  }

  /** Adopts running replicas, then follows the store. */
  public void start() {
    runtime.onExit(this::exited);
    // A replica about to start is recognised by its address before its process runs.
    runtime.onAddressAssigned(
        (replica, address) -> {
          identities.bindAddress(replica, address);
          traffic.assigned(address);
        });
    // Replicas an earlier Berth left running may ask for tokens before their revision's first pass.
    runtime.list().forEach(worker::registerRunning);
    watch = store.watch(queue::submit);
    resyncOnce();
    resync =
        Thread.ofVirtual()
            .name("reconciler-resync")
            .start(
                () -> {
                  while (!Thread.currentThread().isInterrupted()) {
                    try {
                      Thread.sleep(config.resync());
                      resyncOnce();
                    } catch (InterruptedException e) {
                      return;
                    } catch (RuntimeException e) {
                      log.warn("resync failed", e);
                    }
                  }
                });
  }

  /**
   * Requests wait for {@code revision} and none of its replicas is ready: its pass runs now, and
   * its autoscaler decides at once (the activator's call).
   */
  public void wake(ResourceId revision) {
    queue.submit(revision);
  }

  /**
   * The diagnosis of {@code revision}'s image pull as it stands now (docs/pull-diagnosis.md): the
   * causes of its last failure that still hold, in the order to fix them, and when it is tried
   * next; a revision whose pull has not failed is reported healthy.
   */
  public Diagnosis diagnose(ResourceId revision) {
    return worker.diagnose(revision).orElse(Diagnosis.healthy(revision));
  }

  /**
   * Something a failed pull may depend on changed outside the store (an image pushed into {@code
   * registry}): the revisions it concerns pull again now instead of after their back-off.
   */
  public void registryChanged(ResourceId registry) {
    retryPullsConcerning(registry);
  }

  /** Marks the failed pulls {@code changed} concerns to skip their back-off, and wakes them. */
  private void retryPullsConcerning(ResourceId changed) {
    for (ResourceId revision :
        worker.markRetry(changed, id -> store.get(id).map(StoredResource::body))) {
      log.debug("{} changed: retrying the pull of {} now", changed, revision);
      queue.submit(revision);
    }
  }

  private void resyncOnce() {
    store.stream(Query.descendants(ResourceId.root(), AppTypes.MANAGED_ENVIRONMENT))
        .forEach(this::prepareOutbound);
    Set<String> known = new HashSet<>();
    store.stream(Query.descendants(ResourceId.root(), AppTypes.REVISION))
        .forEach(
            r -> {
              known.add(r.id().key());
              queue.submit(r.id());
            });
    // Replicas whose revision no longer exists (deleted while Berth was down): stop them.
    for (ReplicaStatus replica : runtime.list()) {
      RevisionWorker.revisionOf(replica)
          .filter(id -> !known.contains(id.key()))
          .ifPresent(queue::submit);
    }
  }

  /**
   * Readies the puller for pulls from {@code environment}'s outbound address (its HTTP client takes
   * 5-15 ms to start), so that the environment's first deploy does not wait for it.
   */
  private void prepareOutbound(StoredResource environment) {
    PullPlanner.outboundAddress(environment)
        .ifPresent(address -> puller.prepare(Optional.of(address)));
  }

  private void exited(ReplicaStatus replica) {
    RevisionWorker.revisionOf(replica).ifPresent(queue::submit);
  }

  private void handle(ResourceId id) {
    String type = id.type();
    if (!type.equalsIgnoreCase(AppTypes.REVISION) && !type.equalsIgnoreCase(AppTypes.REPLICA)) {
      retryPullsConcerning(id);
    }
    if (type.equalsIgnoreCase(AppTypes.REVISION)) {
      worker.reconcile(id);
    } else if (type.equalsIgnoreCase(AppTypes.MANAGED_ENVIRONMENT)) {
      store.get(id).ifPresent(this::prepareOutbound);
    } else if (type.equalsIgnoreCase(AppTypes.CONTAINER_APP)) {
      // Configuration changes (secrets, registries, identities) matter to every revision.
      store.stream(Query.children(id, AppTypes.REVISION)).forEach(r -> queue.submit(r.id()));
      if (store.get(id).isEmpty()) {
        forgetAllUnder(id);
      }
    } else if (!type.toLowerCase(Locale.ROOT).startsWith(APP_TYPES) && store.get(id).isEmpty()) {
      // A deleted group or subscription takes its apps with it.
      forgetAllUnder(id);
    }
  }

  /**
   * Waits until no replica under {@code scope} (a deleted app) is left in the runtime: what an
   * app's delete operation waits for before it ends. Polls every 50 ms.
   *
   * @return false when some were still there after {@code within}
   */
  public boolean awaitNoReplicasUnder(ResourceId scope, Duration within)
      throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (runtime.list().stream()
        .anyMatch(r -> RevisionWorker.revisionOf(r).filter(scope::contains).isPresent())) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(50);
    }
    return true;
  }

  private void forgetAllUnder(ResourceId scope) {
    for (ReplicaStatus replica : runtime.list()) {
      RevisionWorker.revisionOf(replica).filter(scope::contains).ifPresent(worker::forget);
    }
  }

  /**
   * Closes, then waits (at most {@code timeout}) for the passes still running to end, so that a
   * replica one of them was starting exists by the time this returns: what stopping every replica
   * needs (a plain close leaves passes to end on their own).
   *
   * @return false when a pass was still running after {@code timeout}
   */
  public boolean closeAndAwaitPasses(Duration timeout) throws InterruptedException {
    close();
    return queue.awaitIdle(timeout);
  }

  @Override
  public void close() {
    queue.close();
    if (resync != null) {
      resync.interrupt();
    }
    if (watch != null) {
      try {
        watch.close();
      } catch (Exception e) {
        log.debug("closing the store watch", e);
      }
    }
  }
}
