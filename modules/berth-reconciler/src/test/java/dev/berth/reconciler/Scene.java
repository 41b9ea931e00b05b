package dev.berth.reconciler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.ResourceId;
import dev.berth.api.app.AppTypes;
import dev.berth.api.secrets.SecretSealer;
import dev.berth.identity.AppIdentities;
import dev.berth.identity.IdentityConfig;
import dev.berth.identity.ReplicaIdentityTable;
import dev.berth.identity.SigningKeys;
import dev.berth.identity.TokenIssuer;
import dev.berth.reconciler.diagnosis.Diagnosis;
import dev.berth.reconciler.internal.RevisionWorker;
import dev.berth.store.Query;
import dev.berth.store.memory.InMemoryResourceStore;
import dev.berth.testing.JsonChanges;
import dev.berth.testing.ManualClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The world one reconcile pass runs in, for table tests: an in-memory store, a fake runtime and
 * puller, a clock that moves only when told, and a {@link RevisionWorker} wired as the server wires
 * it — but with its wake-up requests recorded instead of scheduled and its probes answered by
 * {@link #probesPass}. {@link #pass} runs one pass on the calling thread and keeps what it changed
 * in {@link #last}. No sleeps, no threads.
 */
final class Scene implements AutoCloseable {

  static final String SUB = "/subscriptions/00000000-0000-0000-0000-000000000001";
  static final String RG = SUB + "/resourceGroups/rg";
  static final ResourceId ENV =
      ResourceId.parse(RG + "/providers/Microsoft.App/managedEnvironments/env");
  static final ResourceId APP = ResourceId.parse(RG + "/providers/Microsoft.App/containerApps/app");
  static final String SERVER = "localhost:5001";
  static final Instant START = Instant.parse("2026-06-01T12:00:00Z");
  static final String DIAGNOSIS = "Berth's diagnosis: ";
  static final Duration PULL_BACKOFF = Duration.ofSeconds(5);
  static final Duration RESTART_BACKOFF = Duration.ofSeconds(1);

  /** The document types a pass may change, snapshot before and after it. */
  private static final List<String> TYPES =
      List.of(
          AppTypes.MANAGED_ENVIRONMENT,
          AppTypes.CONTAINER_APP,
          AppTypes.REVISION,
          AppTypes.REPLICA,
          AppIdentities.USER_ASSIGNED_TYPE);

  /** A wake-up the worker asked for. */
  record WakeUp(ResourceId revision, Duration after) {}

  /**
   * What one pass did.
   *
   * @param changes every document field it changed
   * @param started the replicas it started, stopped the ones it stopped
   * @param pulls how many images it pulled (or tried to)
   * @param wakeUps the later passes it asked for
   */
  record Pass(
      JsonChanges changes,
      List<String> started,
      List<String> stopped,
      int pulls,
      List<WakeUp> wakeUps) {}

  final InMemoryResourceStore store = new InMemoryResourceStore();
  final FakeRuntime runtime = new FakeRuntime();
  final FakePuller puller = new FakePuller();
  final ManualClock clock = new ManualClock(START);
  final SecretSealer sealer = SecretSealer.fromEncoded(SecretSealer.newEncodedKey());
  final ReplicaIdentityTable identities = new ReplicaIdentityTable(AppIdentities.of(store));
  final FakeTraffic traffic = new FakeTraffic();
  final TokenIssuer issuer =
      new TokenIssuer(
          IdentityConfig.of("tenant-1", URI.create("https://127.0.0.1:8443"), Path.of("unused")),
          SigningKeys.ephemeral());
  final Path logs;
  final ReconcilerConfig config;
  volatile boolean probesPass = true;

  /** The {@code IDENTITY_HEADER} of each replica a step left running, by replica name. */
  final Map<String, String> headers = new HashMap<>();

  Pass last;
  private final List<WakeUp> wakeUps = new ArrayList<>();
  private RevisionWorker worker;

  Scene() {
    try {
      logs = Files.createTempDirectory("berth-scene");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    config =
        ReconcilerConfig.defaults(
                logs, "https://management.azure.com/", Optional.of("http://10.213.0.1:42356/msi"))
            .withBackoff(PULL_BACKOFF, RESTART_BACKOFF, Duration.ofMinutes(5));
    runtime.onAddressAssigned(identities::bindAddress);
  }

  /** The worker of the Berth process now running: made on first use, as at start-up. */
  RevisionWorker worker() {
    if (worker == null) {
      worker =
          RevisionWorker.create(
              config,
              store,
              runtime,
              puller,
              issuer,
              (app, body, container, image, entry, failure) ->
                  new Diagnosis(
                      List.of(),
                      entry.map(e -> "entry " + e.path("server").asText()).orElse("none")),
              sealer,
              identities,
              traffic,
              clock,
              (revision, after) -> wakeUps.add(new WakeUp(revision, after)),
              (probe, address) -> probesPass);
      // What Reconciler.start does first: replicas left running may ask for tokens at once.
      runtime.list().forEach(worker::registerRunning);
    }
    return worker;
  }

  /** Berth stops and starts again: the worker forgets everything; the runtime keeps running. */
  void restartBerth() {
    worker = null;
  }

  /**
   * One reconcile pass over {@code revision}, on this thread; what it did goes to {@link #last}.
   */
  Pass pass(ResourceId revision) {
    RevisionWorker w = worker();
    Map<String, JsonNode> before = snapshot();
    int started = runtime.started.size();
    int stopped = runtime.stopped.size();
    int pulls = puller.calls.size();
    wakeUps.clear();
    w.reconcile(revision);
    last =
        new Pass(
            JsonChanges.between(before, snapshot()),
            List.copyOf(runtime.started.subList(started, runtime.started.size())),
            List.copyOf(runtime.stopped.subList(stopped, runtime.stopped.size())),
            puller.calls.size() - pulls,
            List.copyOf(wakeUps));
    return last;
  }

  /** Every document by its id's key. */
  Map<String, JsonNode> snapshot() {
    Map<String, JsonNode> docs = new TreeMap<>();
    for (String type : TYPES) {
      store.stream(Query.descendants(ResourceId.root(), type))
          .forEach(d -> docs.put(d.id().key(), d.body().deepCopy()));
    }
    return docs;
  }

  /** The replicas the runtime runs for {@code revision}. */
  List<String> replicasOf(ResourceId revision) {
    return runtime.list().stream()
        .filter(r -> RevisionWorker.revisionOf(r).filter(revision::equals).isPresent())
        .map(r -> r.name())
        .sorted()
        .toList();
  }

  /** The app's system log, one event a line. */
  String systemLog() {
    Path log = logs.resolve(SUB.substring("/subscriptions/".length())).resolve("rg/app/system.log");
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws IOException {
    try (var files = Files.walk(logs)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
