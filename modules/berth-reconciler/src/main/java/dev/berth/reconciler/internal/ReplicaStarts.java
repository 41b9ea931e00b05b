package dev.berth.reconciler.internal;

import dev.berth.api.ResourceId;
import dev.berth.api.app.Container;
import dev.berth.api.app.ContainerApp;
import dev.berth.api.app.Template;
import dev.berth.api.secrets.SecretSealer;
import dev.berth.identity.AppIdentities;
import dev.berth.reconciler.ReconcilerConfig;
import dev.berth.runtime.ReplicaRuntime;
import dev.berth.runtime.ReplicaStatus;
import dev.berth.runtime.RuntimeFailure;
import dev.berth.store.ResourceStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * The start phase of a revision: every slot without a running replica whose back-off has passed is
 * started from its {@link ReplicaSpecs spec}, with a fresh {@code IDENTITY_HEADER} in the identity
 * table before its process runs; a start that fails counts as a crash and backs off like an exit.
 * Thread-safe; one revision's passes never overlap.
 */
final class ReplicaStarts {

  private final ResourceStore store;
  private final ReplicaRuntime runtime;
  private final IdentityHeaders headers;
  private final SystemEvents events;
  private final ReconcilerConfig config;
  private final SecretSealer sealer;
  private final Clock clock;
  private final BiConsumer<ResourceId, Duration> later;

  ReplicaStarts(
      ResourceStore store,
      ReplicaRuntime runtime,
      IdentityHeaders headers,
      SystemEvents events,
      ReconcilerConfig config,
      SecretSealer sealer,
      Clock clock,
      BiConsumer<ResourceId, Duration> later) {
    this.store = store;
    this.runtime = runtime;
    this.headers = headers;
    this.events = events;
    this.config = config;
    this.sealer = sealer;
    this.clock = clock;
    this.later = later;
  }

  /** Starts the slots of {@code state} that {@code running} lacks. */
  void startMissing(
      ContainerApp app,
      ResourceId revision,
      RevisionState state,
      Container container,
      Template template,
      List<ReplicaStatus> running) {
    Duration grace = template.terminationGracePeriod();
    Instant now = clock.instant();
    // Identity variables only for an app with identities to ask for (resolved in the store).
    Optional<String> endpoint =
        config.identityEndpoint().filter(e -> !AppIdentities.of(store).forApp(app.id()).isEmpty());
    for (RevisionState.Slot slot : state.slots.values()) {
      if (running.stream().anyMatch(r -> r.name().equals(slot.name))) {
        continue;
      }
      if (now.isBefore(slot.nextStartAt)) {
        later.accept(revision, Duration.between(now, slot.nextStartAt));
        continue;
      }
      try {
        // A new header for every start, in the table before the process runs (a replica may ask
        // for a token as its first act); the runtime binds the replica's address before that too.
        String header = headers.issue(slot.name, app.id());
        runtime.start(
            ReplicaSpecs.of(
                app,
                revision,
                slot.name,
                container,
                template.volumes(),
                grace,
                state.image,
                header,
                endpoint,
                events.appDirectory(app.id()),
                sealer));
        slot.startedAt = clock.instant();
        slot.livenessFailures = 0;
        events.normal(
            app.id(),
            revision.name(),
            slot.name,
            "ContainerStarted",
            "Started container '" + container.name() + "'");
      } catch (RuntimeFailure | RuntimeException e) {
        headers.remove(slot.name);
        slot.restarts++;
        state.crashesBeforeReady++;
        slot.lastExit = "could not start: " + e.getMessage();
        slot.nextStartAt = clock.instant().plus(config.restartDelay(slot.restarts));
        events.warning(
            app.id(), revision.name(), slot.name, "ContainerCreateFailed", slot.lastExit);
        later.accept(revision, Duration.between(clock.instant(), slot.nextStartAt));
      }
    }
  }
}
