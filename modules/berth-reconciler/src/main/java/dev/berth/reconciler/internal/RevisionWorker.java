package dev.berth.reconciler.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ResourceId;
import dev.berth.api.secrets.SecretSealer;
import dev.berth.identity.ReplicaIdentityTable;
import dev.berth.reconciler.PullFailureExplainer;
import dev.berth.reconciler.ReconcilerConfig;
import dev.berth.reconciler.internal.Probes.Probe;
import dev.berth.runtime.ReplicaRuntime;
import dev.berth.runtime.ReplicaStatus;
import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.image.ImagePuller;
import dev.berth.runtime.image.PullException;
import dev.berth.runtime.image.PullListener;
import dev.berth.runtime.image.PulledImage;
import dev.berth.store.Precondition;
import dev.berth.store.Query;
import dev.berth.store.ResourceStore;
import dev.berth.store.StoredResource;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings one revision to what its document asks, one level-triggered pass at a time: pull its image
 * (with the identity or password its app names), keep the wanted number of replicas running,
 * restart exited ones with back-off, probe them, and write what it sees back into the revision and
 * replica documents. Passes of one revision never overlap (the {@link WorkQueue} sees to that).
 */
public final class RevisionWorker {

  /** Labels the runtime keeps with each replica, to find it again after a restart. */
  public static final String REVISION_LABEL = "berth.revision";

  public static final String APP_LABEL = "berth.app";

  static final String REVISION_TYPE = "Microsoft.App/containerApps/revisions";
  static final String REPLICA_TYPE = "Microsoft.App/containerApps/revisions/replicas";

  private static final Logger log = LoggerFactory.getLogger(RevisionWorker.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String NAME_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";

  private final ResourceStore store;
  private final ReplicaRuntime runtime;
  private final ImagePuller puller;
  private final PullPlanner planner;
  private final PullFailureExplainer explainer;
  private final SystemEvents events;
  private final ReconcilerConfig config;
  private final Clock clock;
  private final BiConsumer<ResourceId, Duration> later;
  private final SecretSealer sealer;
  private final IdentityHeaders headers;
  private final ReplicaSpecs specs;
  private final Map<String, RevisionState> states = new ConcurrentHashMap<>();

  public RevisionWorker(
      ResourceStore store,
      ReplicaRuntime runtime,
      ImagePuller puller,
      PullPlanner planner,
      PullFailureExplainer explainer,
      SystemEvents events,
      ReconcilerConfig config,
      Clock clock,
      BiConsumer<ResourceId, Duration> later,
      SecretSealer sealer,
      ReplicaIdentityTable identities) {
    this.sealer = sealer;
    this.headers = new IdentityHeaders(identities);
    this.store = store;
    this.runtime = runtime;
    this.puller = puller;
    this.planner = planner;
    this.explainer = explainer;
    this.events = events;
    this.config = config;
    this.clock = clock;
    this.later = later;
    this.specs = new ReplicaSpecs(store, config, events);
  }

  /** Tells the identity table about a replica found running (after a Berth restart). */
  public void registerRunning(ReplicaStatus replica) {
    headers.registerRunning(replica);
  }

  /** Stops a replica; its {@code IDENTITY_HEADER} dies with it. */
  private void stop(String replica) {
    headers.remove(replica);
    runtime.stop(replica);
  }

  /** One pass over the revision {@code id}. */
  public void reconcile(ResourceId id) {
    List<ReplicaStatus> mine = replicasOf(id);
    Optional<StoredResource> revision = store.get(id);
    Optional<StoredResource> app = id.parent().flatMap(store::get);
    if (revision.isEmpty() || app.isEmpty()) {
      forget(id);
      return;
    }
    JsonNode properties = revision.get().body().path("properties");
    AppDocument appDoc = new AppDocument(app.get().id(), app.get().body(), sealer);
    long generation = revision.get().body().path("berth").path("restartGeneration").asLong(0);
    RevisionState state = states.computeIfAbsent(id.key(), k -> new RevisionState(generation));
    if (state.restartGeneration != generation) {
      events.normal(appDoc.id(), id.name(), null, "RevisionRestart", "Restarting revision");
      mine.forEach(r -> stop(r.name()));
      mine = List.of();
      state = new RevisionState(generation);
      states.put(id.key(), state);
    }
    JsonNode template = properties.path("template");
    // The first container's name, for events and replica documents (one container per replica).
    String containerName = template.path("containers").path(0).path("name").asText("main");
    adopt(state, mine);
    mine.forEach(this::registerRunning);
    reapExits(appDoc, id, state, mine, containerName);
    List<ReplicaStatus> alive =
        mine.stream().filter(r -> r.state() == ReplicaStatus.State.RUNNING).toList();

    int wanted = properties.path("active").asBoolean(true) ? wantedReplicas(template) : 0;
    resize(id.name(), state, wanted, alive);
    if (wanted == 0) {
      writeStatus(id, "Provisioned", "Stopped", "None", null, 0);
      writeReplicas(id, state, alive, containerName);
      return;
    }
    JsonNode containers = template.path("containers");
    if (containers.size() != 1) {
      fail(
          id,
          "Berth runs exactly one container per replica; this revision has "
              + containers.size()
              + ". Sidecar and multi-container revisions are not supported yet.");
      return;
    }
    JsonNode container = containers.get(0);
    boolean needsStart =
        state.slots.values().stream()
            .anyMatch(s -> alive.stream().noneMatch(r -> r.name().equals(s.name)));
    if (needsStart && state.image == null && !pull(appDoc, id, state, container)) {
      return;
    }
    Duration grace = Duration.ofSeconds(template.path("terminationGracePeriodSeconds").asLong(30));
    startMissing(appDoc, id, state, container, grace, alive);
    List<ReplicaStatus> running = replicasOf(id);
    probe(appDoc, id, state, container, running);
    report(appDoc, id, state, wanted, containerName);
    writeReplicas(id, state, running, containerName);
  }

  private List<ReplicaStatus> replicasOf(ResourceId revision) {
    return runtime.list().stream()
        .filter(r -> revision.key().equals(keyOf(r.labels().get(REVISION_LABEL))))
        .toList();
  }

  private static String keyOf(String id) {
    return id == null ? "" : ResourceId.tryParse(id).map(ResourceId::key).orElse("");
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

  private void reapExits(
      AppDocument app,
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
      Duration delay = backoff(config.restartBackoff(), slot.restarts);
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

  private static int wantedReplicas(JsonNode template) {
    JsonNode scale = template.path("scale");
    int min = scale.path("minReplicas").asInt(0);
    int max = scale.path("maxReplicas").asInt(10);
    // Scale to zero arrives with the autoscaler; until then a revision keeps at least one replica.
    return Math.max(1, Math.min(Math.max(min, 1), Math.max(max, 1)));
  }

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
      String name = replicaName(revisionName);
      state.slots.put(name, new RevisionState.Slot(name));
    }
  }

  /**
   * {@code <revision>-<8 random>}, as Container Apps' pod-style names: a valid runc id (at most 63
   * of {@code [a-z0-9-]}); the runtime derives its shorter network names from it.
   */
  private static String replicaName(String revision) {
    String prefix = revision.length() > 54 ? revision.substring(0, 54) : revision;
    return prefix + "-" + randomText(8);
  }

  private static String randomText(int length) {
    StringBuilder b = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      b.append(NAME_CHARS.charAt(RANDOM.nextInt(NAME_CHARS.length())));
    }
    return b.toString();
  }

  /** Pulls the container's image; on failure marks the revision Failed and retries later. */
  private boolean pull(AppDocument app, ResourceId id, RevisionState state, JsonNode container) {
    Instant now = clock.instant();
    if (now.isBefore(state.nextPullAt)) {
      later.accept(id, Duration.between(now, state.nextPullAt));
      return false;
    }
    String containerName = container.path("name").asText("main");
    String imageText = container.path("image").asText("");
    PullPlanner.Plan plan;
    try {
      plan = planner.plan(app, imageText);
    } catch (PullPlanner.Refusal refusal) {
      pullFailed(
          app,
          id,
          state,
          containerName,
          imageText,
          refusal.image().orElse(null),
          refusal.registryEntry(),
          refusal);
      return false;
    }
    events.normal(app.id(), id.name(), null, "PullingImage", "Pulling image \"" + imageText + "\"");
    long started = System.nanoTime();
    try {
      PulledImage image =
          puller.pull(
              plan.image(), plan.credential(), plan.sourceAddress(), progress(app.id(), id));
      state.image = image;
      state.pullFailures = 0;
      events.normal(
          app.id(),
          id.name(),
          null,
          "ImagePulled",
          "Successfully pulled image \""
              + imageText
              + "\" in "
              + Duration.ofNanos(System.nanoTime() - started).toMillis()
              + "ms");
      Documents.updateProperties(
          store,
          id,
          p -> {
            ArrayNode images = p.putArray("images");
            images
                .addObject()
                .put("container", containerName)
                .put("image", imageText)
                .put("digest", image.manifestDigest());
          });
      return true;
    } catch (PullException e) {
      pullFailed(app, id, state, containerName, imageText, plan.image(), plan.registryEntry(), e);
      return false;
    }
  }

  /** Layer downloads as system events: what {@code logs show --type system} shows of a pull. */
  private PullListener progress(ResourceId app, ResourceId revision) {
    return new PullListener() {
      @Override
      public void layerStarted(String digest, long size) {
        events.normal(
            app,
            revision.name(),
            null,
            "PullingImage",
            "Pulling layer " + digest + " (" + String.format("%.1f", size / 1e6) + " MB)");
      }

      @Override
      public void layerReady(String digest, boolean wasCached) {
        if (!wasCached) {
          events.normal(app, revision.name(), null, "PullingImage", "Pulled layer " + digest);
        }
      }
    };
  }

  private void pullFailed(
      AppDocument app,
      ResourceId id,
      RevisionState state,
      String container,
      String imageText,
      dev.berth.runtime.image.ImageReference image,
      Optional<JsonNode> entry,
      Exception failure) {
    state.pullFailures++;
    Duration delay = backoff(config.pullBackoff(), state.pullFailures);
    state.nextPullAt = clock.instant().plus(delay);
    String detail =
        "The following field(s) are either invalid or missing. Field 'template.containers."
            + container
            + ".image' is invalid with details: 'Invalid value: \""
            + imageText
            + "\": "
            + failure.getMessage()
            + "';..";
    String diagnosis = "";
    if (image != null) {
      try {
        diagnosis =
            explainer.explain(app.id(), app.body(), container, image, entry, failure).strip();
      } catch (RuntimeException e) {
        log.warn("pull diagnosis failed for {}", id, e);
      }
    }
    String message = diagnosis.isEmpty() ? detail : detail + "\n\n" + diagnosis;
    events.warning(app.id(), id.name(), null, "ImagePullBackOff", detail);
    writeStatus(id, "Failed", "Failed", "Unhealthy", message, 0);
    later.accept(id, delay);
  }

  private void fail(ResourceId id, String message) {
    writeStatus(id, "Failed", "Failed", "Unhealthy", message, 0);
  }

  private void startMissing(
      AppDocument app,
      ResourceId id,
      RevisionState state,
      JsonNode container,
      Duration grace,
      List<ReplicaStatus> running) {
    Instant now = clock.instant();
    for (RevisionState.Slot slot : state.slots.values()) {
      if (running.stream().anyMatch(r -> r.name().equals(slot.name))) {
        continue;
      }
      if (now.isBefore(slot.nextStartAt)) {
        later.accept(id, Duration.between(now, slot.nextStartAt));
        continue;
      }
      try {
        // A new header for every start, in the table before the process runs (a replica may ask
        // for a token as its first act); the runtime binds the replica's address before that too.
        String header = headers.issue(slot.name, app.id());
        runtime.start(specs.of(app, id, slot.name, header, container, grace, state.image));
        slot.startedAt = clock.instant();
        slot.livenessFailures = 0;
        events.normal(
            app.id(),
            id.name(),
            slot.name,
            "ContainerStarted",
            "Started container '" + container.path("name").asText() + "'");
      } catch (RuntimeFailure | RuntimeException e) {
        headers.remove(slot.name);
        slot.restarts++;
        state.crashesBeforeReady++;
        slot.lastExit = "could not start: " + e.getMessage();
        slot.nextStartAt = clock.instant().plus(backoff(config.restartBackoff(), slot.restarts));
        events.warning(app.id(), id.name(), slot.name, "ContainerCreateFailed", slot.lastExit);
        later.accept(id, Duration.between(clock.instant(), slot.nextStartAt));
      }
    }
  }

  /** Where a replica's console output goes: {@code <logs>/<app>/<revision>/<replica>.log}. */
  public Path logFile(AppDocument app, ResourceId revision, String replica) {
    return specs.logFile(app, revision, replica);
  }

  private void probe(
      AppDocument app,
      ResourceId id,
      RevisionState state,
      JsonNode container,
      List<ReplicaStatus> running) {
    int targetPort = app.configuration().path("ingress").path("targetPort").asInt(0);
    List<Probe> probes = Probes.of(container, targetPort);
    Duration next = Duration.ofSeconds(10);
    for (ReplicaStatus r : running) {
      RevisionState.Slot slot = state.slots.get(r.name());
      if (slot == null || r.state() != ReplicaStatus.State.RUNNING) {
        continue;
      }
      if (!slot.ready) {
        boolean ready =
            probes.stream()
                .filter(p -> !p.type().equals("liveness"))
                .allMatch(p -> Probes.passes(p, r.address()));
        if (ready) {
          slot.ready = true;
          slot.everReady = true;
          state.crashesBeforeReady = 0;
        } else {
          next = Duration.ofMillis(250);
        }
        continue;
      }
      for (Probe p : probes) {
        if (!p.type().equals("liveness")) {
          continue;
        }
        next = min(next, p.period());
        if (Probes.passes(p, r.address())) {
          slot.livenessFailures = 0;
        } else if (++slot.livenessFailures >= p.failureThreshold()) {
          events.warning(
              app.id(),
              id.name(),
              r.name(),
              "ProbeFailed",
              "Liveness probe failed " + slot.livenessFailures + " times; restarting container");
          stop(r.name());
          slot.ready = false;
          slot.restarts++;
          slot.lastExit = "killed: liveness probe failed";
          next = Duration.ZERO;
        }
      }
    }
    later.accept(id, next);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private void report(
      AppDocument app, ResourceId id, RevisionState state, int wanted, String containerName) {
    long ready = state.slots.values().stream().filter(s -> s.ready).count();
    if (ready >= wanted) {
      writeStatus(id, "Provisioned", "Running", "Healthy", null, (int) ready);
      if (!state.announcedRunning) {
        state.announcedRunning = true;
        events.normal(app.id(), id.name(), null, "RevisionReady", "Revision is running");
        deactivatePredecessors(app, id);
      }
      return;
    }
    if (state.crashesBeforeReady >= config.crashLoopThreshold()) {
      String lastExit =
          state.slots.values().stream()
              .map(s -> s.lastExit)
              .filter(e -> e != null)
              .findFirst()
              .orElse("exited");
      String message =
          "Container '"
              + containerName
              + "' keeps stopping before it is ready ("
              + lastExit
              + "); restarts back off. See: berth containerapp logs show -n "
              + app.name()
              + " -g "
              + app.id().resourceGroupName().orElse("")
              + " --revision "
              + id.name();
      writeStatus(
          id,
          state.announcedRunning ? "Provisioned" : "Failed",
          "Degraded",
          "Unhealthy",
          message,
          (int) ready);
      return;
    }
    writeStatus(id, "Provisioning", "Processing", "None", null, (int) ready);
  }

  /** Single revision mode: once the newest revision runs, the others stop taking part. */
  private void deactivatePredecessors(AppDocument app, ResourceId id) {
    if (!"single".equalsIgnoreCase(app.activeRevisionsMode())) {
      return;
    }
    String latest = app.body().path("properties").path("latestRevisionName").asText("");
    if (!latest.equalsIgnoreCase(id.name())) {
      return;
    }
    store.stream(Query.children(app.id(), REVISION_TYPE))
        .filter(r -> !r.id().key().equals(id.key()))
        .filter(r -> r.body().path("properties").path("active").asBoolean(false))
        .forEach(
            r ->
                Documents.updateProperties(
                    store,
                    r.id(),
                    p -> {
                      p.put("active", false);
                      p.put("lastActiveTime", clock.instant().toString());
                    }));
  }

  private void writeStatus(
      ResourceId id,
      String provisioning,
      String running,
      String health,
      String error,
      int replicas) {
    Documents.updateProperties(
        store,
        id,
        p -> {
          p.put("provisioningState", provisioning);
          p.put("runningState", running);
          p.put("healthState", health);
          p.put("replicas", replicas);
          if (error == null) {
            p.remove("provisioningError");
          } else {
            p.put("provisioningError", error);
          }
        });
  }

  private void writeReplicas(
      ResourceId id, RevisionState state, List<ReplicaStatus> running, String container) {
    Map<String, ReplicaStatus> byName =
        running.stream().collect(Collectors.toMap(ReplicaStatus::name, r -> r, (a, b) -> a));
    for (RevisionState.Slot slot : state.slots.values()) {
      ReplicaStatus r = byName.get(slot.name);
      ResourceId replicaId = id.child("replicas", slot.name);
      ObjectNode doc = Documents.JSON.createObjectNode();
      doc.put("id", replicaId.value());
      doc.put("name", slot.name);
      doc.put("type", REPLICA_TYPE);
      ObjectNode p = doc.putObject("properties");
      p.put("createdTime", (slot.startedAt == null ? clock.instant() : slot.startedAt).toString());
      p.put("runningState", r != null ? "Running" : "NotRunning");
      p.put("runningStateDetails", r != null ? "" : slotDetails(slot));
      if (r != null) {
        p.put("address", r.address());
      }
      ObjectNode c = p.putArray("containers").addObject();
      c.put("name", container);
      c.put("containerId", "runc://" + slot.name);
      c.put("ready", slot.ready);
      c.put("started", r != null);
      c.put("restartCount", slot.restarts);
      c.put("runningState", r != null ? "Running" : "Waiting");
      c.put("runningStateDetails", r != null ? "" : slotDetails(slot));
      Optional<StoredResource> current = store.get(replicaId);
      if (current.isEmpty() || !same(current.get().body(), doc)) {
        store.put(replicaId, doc, Precondition.NONE);
      }
    }
    store.stream(Query.children(id, REPLICA_TYPE))
        .filter(d -> !state.slots.containsKey(d.id().name()))
        .toList()
        .forEach(d -> store.delete(d.id(), Precondition.NONE));
  }

  private static boolean same(JsonNode stored, ObjectNode next) {
    ObjectNode a = stored.deepCopy();
    ObjectNode b = next.deepCopy();
    ((ObjectNode) a.path("properties")).remove("createdTime");
    ((ObjectNode) b.path("properties")).remove("createdTime");
    return a.equals(b);
  }

  private static String slotDetails(RevisionState.Slot slot) {
    return slot.lastExit == null ? "Waiting to start" : "Back-off: " + slot.lastExit;
  }

  private Duration backoff(Duration base, int failures) {
    long factor = 1L << Math.min(Math.max(failures - 1, 0), 20);
    Duration d = base.multipliedBy(factor);
    return d.compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : d;
  }

  /** Forgets a revision whose documents are gone, stopping what runs for it. */
  public void forget(ResourceId id) {
    replicasOf(id).forEach(r -> stop(r.name()));
    RevisionState state = states.remove(id.key());
    if (state != null) {
      state.slots.keySet().forEach(headers::remove);
    }
  }
}
