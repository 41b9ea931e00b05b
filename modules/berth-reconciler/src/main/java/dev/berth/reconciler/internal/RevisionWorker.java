package dev.berth.reconciler.internal;

import com.fasterxml.jackson.databind.JsonNode;
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
import dev.berth.reconciler.RevisionTraffic;
import dev.berth.reconciler.diagnosis.Diagnosis;
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
import java.util.function.Function;

/**
 * Brings one revision to what its document asks, one level-triggered pass at a time, in phases
 * (docs/reconciler.md): restart, adopt, reap, scale ({@link ReplicaScaling}), resize, pull ({@link
 * ImagePulls}), start ({@link ReplicaSpecs}, {@link IdentityHeaders}), probe ({@link
 * ReplicaProbes}), report ({@link RevisionStatusWriter}, {@link ReplicaDocuments}). A pass runs on
 * the caller's thread and asks for the next one through {@code later}. Thread-safe for distinct
 * revisions; passes of one revision must not overlap (the {@link WorkQueue} sees to that).
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
  private final ReplicaScaling scaling;
  private final RevisionTraffic traffic;
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
      RevisionTraffic traffic,
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
    this.traffic = traffic;
    this.scaling = new ReplicaScaling(traffic, config.scale(), events, clock, later);
    this.clock = clock;
    this.later = later;
    this.replicaDocuments = new ReplicaDocuments(store, clock);
  }

  /**
   * A worker and its phases.
   *
   * @param traffic the requests the ingress sees, which the autoscaler reads and replicas are
   *     drained of before they stop
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
      RevisionTraffic traffic,
      Clock clock,
      BiConsumer<ResourceId, Duration> later,
      BiPredicate<Probe, String> prober) {
    SystemEvents events = new SystemEvents(config.logDirectory(), clock);
    RevisionStatusWriter status = new RevisionStatusWriter(store, clock);
    PullPlanner planner = new PullPlanner(store, issuer, config.managementAudience(), sealer);
    ImagePulls pulls =
        new ImagePulls(store, puller, planner, explainer, events, status, config, clock, later);
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
        traffic,
        clock,
        later);
  }

  /** The revision a replica was started for, from its labels. */
  public static Optional<ResourceId> revisionOf(ReplicaStatus replica) {
    return ResourceId.tryParse(replica.labels().get(ReplicaSpecs.REVISION_LABEL));
  }

  /**
   * The diagnosis of the revision's pull as it stands now: its last failed pull asked again, with
   * the back-off's remaining wait; empty when this Berth has not seen its pull fail (it pulled, or
   * has not tried yet).
   */
  public Optional<Diagnosis> diagnose(ResourceId id) {
    RevisionState state = states.get(id.key());
    return state == null ? Optional.empty() : pulls.diagnose(id, state);
  }

  /**
   * The revisions whose last pull failed and that {@code changed} concerns ({@link PullWakeups}):
   * each is marked to pull on its next pass without waiting for its back-off.
   *
   * @param appNow reads an app's document as it is now
   * @return the revisions marked, to be woken by the caller
   */
  public List<ResourceId> markRetry(
      ResourceId changed, Function<ResourceId, Optional<JsonNode>> appNow) {
    List<ResourceId> marked = new ArrayList<>();
    for (Map.Entry<String, RevisionState> e : states.entrySet()) {
      PullFailure failure = e.getValue().lastFailure;
      if (failure == null) {
        continue;
      }
      Optional<JsonNode> app =
          changed.key().equals(failure.app().key()) ? appNow.apply(changed) : Optional.empty();
      if (PullWakeups.concerns(failure, changed, app)) {
        e.getValue().retryNow.set(true);
        ResourceId.tryParse(e.getKey()).ifPresent(marked::add);
      }
    }
    return marked;
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
      Duration grace = revision.template().terminationGracePeriod();
      mine.forEach(r -> stop(r.name(), grace));
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

    int wanted = wanted(app, id, revision, state, alive.size());
    resize(id.name(), state, wanted, alive, template.terminationGracePeriod());
    if (wanted == 0) {
      // Active at zero replicas is scaled to zero, and still Running (its requests activate it).
      status.write(id, revision.active() ? RevisionStatus.RUNNING : RevisionStatus.STOPPED, 0);
      replicaDocuments.write(id, state, replicasOf(id), containerName);
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
    if (needsStart && !stillActive(id)) {
      return; // deactivated since this pass began: its next pass stops what runs, starts nothing
    }
    starts.startMissing(app, id, state, container, template, alive);
    List<ReplicaStatus> running = replicasOf(id);
    probe(app, id, state, container, running);
    report(app, id, state, wanted, containerName);
    replicaDocuments.write(id, state, running, containerName);
  }

  /**
   * How many replicas the revision should run: none when inactive; else its autoscaler's count, and
   * at least one while its image does not pull (the retries continue, and it heals by itself once
   * the cause is fixed).
   */
  private int wanted(
      ContainerApp app, ResourceId id, Revision revision, RevisionState state, int running) {
    if (!revision.active()) {
      ReplicaScaling.stop(state);
      return 0;
    }
    int wanted = scaling.wanted(app, id, revision.template().scale(), state, running);
    return wanted == 0 && state.image == null && state.pullFailures > 0 ? 1 : wanted;
  }

  /** Whether the revision is still stored and active, read again. */
  private boolean stillActive(ResourceId id) {
    return store.get(id).map(d -> Revision.of(id, d.body()).active()).orElse(false);
  }

  /**
   * Probes replicas not ready yet on every pass, and ready ones when their probes are due: passes
   * come often (the autoscaler's, store writes), probe periods stay what the template says.
   */
  private void probe(
      ContainerApp app,
      ResourceId id,
      RevisionState state,
      Container container,
      List<ReplicaStatus> running) {
    var now = clock.instant();
    boolean unready = state.slots.values().stream().anyMatch(s -> !s.ready);
    if (!unready && now.isBefore(state.probesDueAt)) {
      return;
    }
    Duration next = probes.probe(app, id, state, container, running, this::stop);
    state.probesDueAt = now.plus(next);
    later.accept(id, next);
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

  /** Stops a replica that failed or exited: no new request goes to it; those in flight end. */
  private void stop(String replica) {
    stop(replica, Duration.ZERO);
  }

  /**
   * Stops a replica: first it gets no new request and those in flight to it may end (at most {@code
   * drain}), then it stops; its {@code IDENTITY_HEADER} dies with it.
   */
  private void stop(String replica, Duration drain) {
    runtime.list().stream()
        .filter(r -> r.name().equals(replica) && r.address() != null && !r.address().isBlank())
        .findFirst()
        .ifPresent(r -> traffic.drain(r.address(), drain));
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
      String revisionName,
      RevisionState state,
      int wanted,
      List<ReplicaStatus> running,
      Duration grace) {
    while (state.slots.size() > wanted) {
      String last = new ArrayList<>(state.slots.keySet()).get(state.slots.size() - 1);
      state.slots.remove(last);
      headers.remove(last);
      if (running.stream().anyMatch(r -> r.name().equals(last))) {
        stop(last, grace);
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
