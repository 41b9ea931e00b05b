package dev.berth.reconciler.internal;

import dev.berth.api.ResourceId;
import dev.berth.api.app.Container;
import dev.berth.api.app.ContainerApp;
import dev.berth.api.app.Revision;
import dev.berth.api.app.RevisionStatus;
import dev.berth.api.app.Template;
import dev.berth.api.secrets.SecretSealer;
import dev.berth.identity.ReplicaIdentityTable;
import dev.berth.identity.TokenIssuer;
import dev.berth.reconciler.PullFailureExplainer;
import dev.berth.reconciler.ReconcilerConfig;
import dev.berth.reconciler.internal.Probes.Probe;
import dev.berth.runtime.ReplicaRuntime;
import dev.berth.runtime.ReplicaStatus;
import dev.berth.runtime.image.ImagePuller;
import dev.berth.store.ResourceStore;
import dev.berth.store.StoredResource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;

/**
 * Brings one revision to what its document asks, one level-triggered pass at a time, in phases
 * (docs/reconciler.md): restart, adopt, reap, resize, pull ({@link ImagePulls}), start ({@link
 * ReplicaSpecs}, {@link IdentityHeaders}), probe ({@link ReplicaProbes}), report ({@link
 * RevisionStatusWriter}, {@link ReplicaDocuments}). A pass runs on the caller's thread and asks for
 * the next one through {@code later}. Thread-safe for distinct revisions; passes of one revision
 * must not overlap (the {@link WorkQueue} sees to that).
 */
public final class RevisionWorker {

  private final ResourceStore store;
  private final ReplicaRuntime runtime;
  private final ImagePulls pulls;
  private final ReplicaStarts starts;
  private final ReplicaProbes probes;
  private final RevisionStatusWriter status;
  private final ReplicaDocuments replicaDocuments;
  private final IdentityHeaders headers;
  private final SystemEvents events;
  private final ReconcilerConfig config;
  private final Clock clock;
  private final BiConsumer<ResourceId, Duration> later;
  private final Map<String, RevisionState> states = new ConcurrentHashMap<>();

  private RevisionWorker(
      ReconcilerConfig config,
      ResourceStore store,
      ReplicaRuntime runtime,
      SystemEvents events,
      RevisionStatusWriter status,
      ImagePulls pulls,
      ReplicaStarts starts,
      ReplicaProbes probes,
      IdentityHeaders headers,
      Clock clock,
      BiConsumer<ResourceId, Duration> later) {
    this.config = config;
    this.store = store;
    this.runtime = runtime;
    this.events = events;
    this.status = status;
    this.pulls = pulls;
    this.starts = starts;
    this.probes = probes;
    this.headers = headers;
    this.clock = clock;
    this.later = later;
    this.replicaDocuments = new ReplicaDocuments(store, clock);
  }

  /**
   * A worker and its phases.
   *
   * @param later asks for another pass of a revision after a delay (back-off, probe period)
   * @param prober whether a probe passes against an address now ({@link Probes#passes})
   */
  public static RevisionWorker create(
      ReconcilerConfig config,
      ResourceStore store,
      ReplicaRuntime runtime,
      ImagePuller puller,
      TokenIssuer issuer,
      PullFailureExplainer explainer,
      SecretSealer sealer,
      ReplicaIdentityTable identities,
      Clock clock,
      BiConsumer<ResourceId, Duration> later,
      BiPredicate<Probe, String> prober) {
    SystemEvents events = new SystemEvents(config.logDirectory(), clock);
    RevisionStatusWriter status = new RevisionStatusWriter(store, clock);
    PullPlanner planner = new PullPlanner(store, issuer, config.managementAudience(), sealer);
    ImagePulls pulls =
        new ImagePulls(puller, planner, explainer, events, status, config, clock, later);
    IdentityHeaders headers = new IdentityHeaders(identities);
    return new RevisionWorker(
        config,
        store,
        runtime,
        events,
        status,
        pulls,
        new ReplicaStarts(store, runtime, headers, events, config, sealer, clock, later),
        new ReplicaProbes(prober, events, clock),
        headers,
        clock,
        later);
  }

  /** The revision a replica was started for, from its labels. */
  public static Optional<ResourceId> revisionOf(ReplicaStatus replica) {
    return ResourceId.tryParse(replica.labels().get(ReplicaSpecs.REVISION_LABEL));
  }

  /** Tells the identity table about a replica found running (after a Berth restart). */
  public void registerRunning(ReplicaStatus replica) {
    headers.registerRunning(replica);
  }

  /** One pass over the revision {@code id}. */
  public void reconcile(ResourceId id) {
    List<ReplicaStatus> mine = replicasOf(id);
    Optional<StoredResource> revisionDoc = store.get(id);
    Optional<StoredResource> appDoc = id.parent().flatMap(store::get);
    if (revisionDoc.isEmpty() || appDoc.isEmpty()) {
      forget(id);
      return;
    }
    Revision revision = Revision.of(id, revisionDoc.get().body());
    ContainerApp app = ContainerApp.of(appDoc.get().id(), appDoc.get().body());
    RevisionState state =
        states.computeIfAbsent(id.key(), k -> new RevisionState(revision.restartGeneration()));
    if (state.restartGeneration != revision.restartGeneration()) {
      events.normal(app.id(), id.name(), null, "RevisionRestart", "Restarting revision");
      mine.forEach(r -> stop(r.name()));
      mine = List.of();
      state = new RevisionState(revision.restartGeneration());
      states.put(id.key(), state);
    }
    Template template = revision.template();
    List<Container> containers = template.containers();
    // The first container's name, for events and replica documents (one container per replica).
    String containerName = containers.isEmpty() ? "main" : containers.get(0).name();
    adopt(state, mine);
    mine.forEach(headers::registerRunning);
    reapExits(app, id, state, mine, containerName);
    List<ReplicaStatus> alive =
        mine.stream().filter(r -> r.state() == ReplicaStatus.State.RUNNING).toList();

    int wanted = revision.active() ? ReplicaSpecs.wanted(template.scale()) : 0;
    resize(id.name(), state, wanted, alive);
    if (wanted == 0) {
      status.write(id, RevisionStatus.STOPPED, 0);
      replicaDocuments.write(id, state, alive, containerName);
      return;
    }
    if (containers.size() != 1) {
      status.write(
          id,
          RevisionStatus.FAILED,
          Optional.of(
              "Berth runs exactly one container per replica; this revision has "
                  + containers.size()
                  + ". Sidecar and multi-container revisions are not supported yet."),
          0);
      return;
    }
    Container container = containers.get(0);
    boolean needsStart =
        state.slots.values().stream()
            .anyMatch(s -> alive.stream().noneMatch(r -> r.name().equals(s.name)));
    if (needsStart && state.image == null && !pulls.pull(app, id, state, container)) {
      return;
    }
    starts.startMissing(app, id, state, container, template.terminationGracePeriod(), alive);
    List<ReplicaStatus> running = replicasOf(id);
    later.accept(id, probes.probe(app, id, state, container, running, this::stop));
    report(app, id, state, wanted, containerName);
    replicaDocuments.write(id, state, running, containerName);
  }

  /** Forgets a revision whose documents are gone, stopping what runs for it. */
  public void forget(ResourceId id) {
    replicasOf(id).forEach(r -> stop(r.name()));
    RevisionState state = states.remove(id.key());
    if (state != null) {
      state.slots.keySet().forEach(headers::remove);
    }
  }

  private List<ReplicaStatus> replicasOf(ResourceId revision) {
    return runtime.list().stream()
        .filter(r -> revisionOf(r).filter(revision::equals).isPresent())
        .toList();
  }

  /** Stops a replica; its {@code IDENTITY_HEADER} dies with it. */
  private void stop(String replica) {
    headers.remove(replica);
    runtime.stop(replica);
  }

  /** Replicas found running (after a Berth restart) become slots, so they are kept, not doubled. */
  private static void adopt(RevisionState state, List<ReplicaStatus> mine) {
    for (ReplicaStatus r : mine) {
      state.slots.computeIfAbsent(
          r.name(),
          name -> {
            RevisionState.Slot slot = new RevisionState.Slot(name);
            slot.startedAt = r.startedAt();
            return slot;
          });
    }
  }

  /** Exited replicas leave the runtime; their slot counts a restart and backs off. */
  private void reapExits(
      ContainerApp app,
      ResourceId id,
      RevisionState state,
      List<ReplicaStatus> mine,
      String containerName) {
    for (ReplicaStatus r : mine) {
      if (r.state() != ReplicaStatus.State.EXITED) {
        continue;
      }
      RevisionState.Slot slot = state.slots.get(r.name());
      stop(r.name());
      if (slot == null) {
        continue;
      }
      String exit =
          r.oomKilled()
              ? "OOMKilled: the container used more memory than its limit"
              : "exited with code " + r.exitCode().map(String::valueOf).orElse("unknown");
      slot.lastExit = exit;
      slot.ready = false;
      slot.restarts++;
      if (!slot.everReady) {
        state.crashesBeforeReady++;
      }
      Duration delay = config.restartDelay(slot.restarts);
      slot.nextStartAt = clock.instant().plus(delay);
      events.warning(
          app.id(),
          id.name(),
          r.name(),
          r.oomKilled() ? "OOMKilled" : "ContainerTerminated",
          "Container '"
              + containerName
              + "' "
              + exit
              + "; restarting in "
              + delay.toMillis()
              + " ms (back-off)");
    }
  }

  /** Extra slots are stopped, newest first; missing ones get a new name. */
  private void resize(
      String revisionName, RevisionState state, int wanted, List<ReplicaStatus> running) {
    while (state.slots.size() > wanted) {
      String last = new ArrayList<>(state.slots.keySet()).get(state.slots.size() - 1);
      state.slots.remove(last);
      headers.remove(last);
      if (running.stream().anyMatch(r -> r.name().equals(last))) {
        stop(last);
      }
    }
    while (state.slots.size() < wanted) {
      String name = ReplicaSpecs.newName(revisionName);
      state.slots.put(name, new RevisionState.Slot(name));
    }
  }

  /** Writes the status the slots add up to; the first time it runs, announces it. */
  private void report(
      ContainerApp app, ResourceId id, RevisionState state, int wanted, String containerName) {
    RevisionStatus now = state.status(wanted, config.crashLoopThreshold());
    Optional<String> error = Optional.empty();
    if (now == RevisionStatus.DEGRADED || now == RevisionStatus.CRASH_LOOPING) {
      error =
          Optional.of(
              "Container '"
                  + containerName
                  + "' keeps stopping before it is ready ("
                  + state.lastExit().orElse("exited")
                  + "); restarts back off. See: berth containerapp logs show -n "
                  + app.name()
                  + " -g "
                  + app.id().resourceGroupName().orElse("")
                  + " --revision "
                  + id.name());
    }
    status.write(id, now, error, state.ready());
    if (now == RevisionStatus.RUNNING && !state.announcedRunning) {
      state.announcedRunning = true;
      events.normal(app.id(), id.name(), null, "RevisionReady", "Revision is running");
      status.deactivatePredecessors(app, id);
    }
  }
}
