package dev.berth.reconciler.internal;

import dev.berth.api.ResourceId;
import dev.berth.api.app.Container;
import dev.berth.api.app.ContainerApp;
import dev.berth.reconciler.internal.Probes.Probe;
import dev.berth.runtime.ReplicaStatus;
import java.time.Duration;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.function.Consumer;

/**
 * The probe phase of a revision: startup and readiness probes make a running replica ready (with
 * none, and an ingress target port, a TCP probe on that port stands in, as Container Apps does);
 * once it is ready, a liveness probe failing {@code failureThreshold} times in a row stops it, to
 * be restarted like an exited one. Thread-safe; one revision's passes never overlap.
 */
final class ReplicaProbes {

  /** Whether a probe passes against a replica's address now ({@link Probes#passes}). */
  private final BiPredicate<Probe, String> prober;

  private final SystemEvents events;

  ReplicaProbes(BiPredicate<Probe, String> prober, SystemEvents events) {
    this.prober = prober;
    this.events = events;
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
          next = Duration.ofMillis(250);
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
}
