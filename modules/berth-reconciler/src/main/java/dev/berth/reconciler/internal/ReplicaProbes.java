package dev.berth.reconciler.internal;

import dev.berth.api.ResourceId;
import dev.berth.api.app.Container;
import dev.berth.api.app.ContainerApp;
import dev.berth.reconciler.internal.Probes.Probe;
import dev.berth.runtime.ReplicaStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.function.Consumer;

/**
 * The probe phase of a revision: startup and readiness probes make a running replica ready (with
 * none, and an ingress target port, a TCP probe on that port stands in, as Container Apps does);
 * once it is ready, a liveness probe failing {@code failureThreshold} times in a row stops it, to
 * be restarted like an exited one. A replica not ready yet is probed again soon after its start —
 * every few milliseconds at first, the gap growing with its age up to {@link #NOT_READY_PERIOD} —
 * because a deploy, a scale-out and a cold start all wait for that first success. Thread-safe; one
 * revision's passes never overlap.
 */
final class ReplicaProbes {

  /** The longest wait before a replica that is not ready yet is probed again. */
  static final Duration NOT_READY_PERIOD = Duration.ofMillis(250);

  /** The shortest: a pass costs a few store reads, so not a busy loop. */
  static final Duration FIRST_READY_POLL = Duration.ofMillis(2);

  /** Whether a probe passes against a replica's address now ({@link Probes#passes}). */
  private final BiPredicate<Probe, String> prober;

  private final SystemEvents events;
  private final Clock clock;

  ReplicaProbes(BiPredicate<Probe, String> prober, SystemEvents events, Clock clock) {
    this.prober = prober;
    this.events = events;
    this.clock = clock;
  }

  /**
   * Probes the revision's running replicas once.
   *
   * @param stop stops a replica whose liveness probe keeps failing
   * @return when the revision's replicas should be probed next
   */
  Duration probe(
      ContainerApp app,
      ResourceId revision,
      RevisionState state,
      Container container,
      List<ReplicaStatus> running,
      Consumer<String> stop) {
    int targetPort = app.ingress().map(ContainerApp.Ingress::targetPort).orElse(0);
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
                .allMatch(p -> prober.test(p, r.address()));
        if (ready) {
          slot.ready = true;
          slot.everReady = true;
          state.crashesBeforeReady = 0;
        } else {
          Duration again = untilProbedAgain(slot.startedAt);
          next = next.compareTo(again) <= 0 ? next : again;
        }
        continue;
      }
      for (Probe p : probes) {
        if (!p.type().equals("liveness")) {
          continue;
        }
        next = next.compareTo(p.period()) <= 0 ? next : p.period();
        if (prober.test(p, r.address())) {
          slot.livenessFailures = 0;
        } else if (++slot.livenessFailures >= p.failureThreshold()) {
          events.warning(
              app.id(),
              revision.name(),
              r.name(),
              "ProbeFailed",
              "Liveness probe failed " + slot.livenessFailures + " times; restarting container");
          stop.accept(r.name());
          slot.ready = false;
          slot.restarts++;
          slot.lastExit = "killed: liveness probe failed";
          next = Duration.ZERO;
        }
      }
    }
    return next;
  }

  /**
   * A quarter of the replica's age, between {@link #FIRST_READY_POLL} and {@link
   * #NOT_READY_PERIOD}: a replica that answers 20 ms after its start is seen within about 5 ms, and
   * one that takes seconds costs about thirty passes before the gap reaches its longest.
   */
  private Duration untilProbedAgain(Instant startedAt) {
    if (startedAt == null) {
      return NOT_READY_PERIOD;
    }
    Duration quarterOfAge = Duration.between(startedAt, clock.instant()).dividedBy(4);
    if (quarterOfAge.compareTo(FIRST_READY_POLL) < 0) {
      return FIRST_READY_POLL;
    }
    return quarterOfAge.compareTo(NOT_READY_PERIOD) > 0 ? NOT_READY_PERIOD : quarterOfAge;
  }
}
