package dev.berth.reconciler.internal;

import dev.berth.api.ResourceId;
import dev.berth.api.app.ContainerApp;
import dev.berth.api.app.Template;
import dev.berth.autoscaler.Autoscaler;
import dev.berth.autoscaler.ScaleDecision;
import dev.berth.autoscaler.ScaleOverrides;
import dev.berth.autoscaler.ScaleSettings;
import dev.berth.reconciler.RevisionTraffic;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * The scale phase of a revision: how many replicas an active revision should run, decided by its
 * {@link Autoscaler} from the requests the ingress sees ({@link RevisionTraffic}), each change
 * written as a system event ({@code ScaledUp 0→1: …}). It runs inside the revision's pass, so the
 * decision and the starts and stops it causes go through the revision's one serialised path. While
 * the revision has replicas (or requests wait for one) it asks for a pass every autoscaler bucket,
 * to read the load. A new revision starts with at least one replica, as Container Apps starts one,
 * so it can become ready and take traffic; it goes to zero after the cooldown. Thread-safe for
 * distinct revisions; passes of one revision never overlap.
 */
final class ReplicaScaling {

  private final RevisionTraffic traffic;
  private final ScaleOverrides overrides;
  private final SystemEvents events;
  private final Clock clock;
  private final BiConsumer<ResourceId, Duration> later;

  ReplicaScaling(
      RevisionTraffic traffic,
      ScaleOverrides overrides,
      SystemEvents events,
      Clock clock,
      BiConsumer<ResourceId, Duration> later) {
    this.traffic = traffic;
    this.overrides = overrides;
    this.events = events;
    this.clock = clock;
    this.later = later;
  }

  /**
   * The replicas the active revision {@code id} should run now.
   *
   * @param running the replicas it runs now (adopted ones after a restart included)
   */
  int wanted(
      ContainerApp app, ResourceId id, Template.Scale scale, RevisionState state, int running) {
    ScaleSettings settings = overrides.apply(ScaleSettings.of(scale));
    Instant now = clock.instant();
    if (state.autoscaler == null || !state.autoscaler.settings().equals(settings)) {
      // A first pass (a new revision, or Berth restarted) keeps what runs, and at least one.
      int from = state.autoscaler == null ? Math.max(1, running) : state.desired;
      state.autoscaler = Autoscaler.of(settings, now);
      state.desired = clamp(from, settings);
      if (!scale.unevaluatedRules().isEmpty() && scale.minReplicas() == 0) {
        events.warning(
            app.id(),
            id.name(),
            null,
            "ScaleRuleNotEvaluated",
            "Berth evaluates HTTP scale rules only, not the "
                + String.join(", ", scale.unevaluatedRules())
                + ": the revision keeps at least 1 replica instead of scaling to zero, where"
                + " nothing would bring it back. Set minReplicas to say how many it needs.");
      }
    }
    RevisionTraffic.Load load = traffic.read(id);
    state.autoscaler.record(now, load.mean(), load.now());
    Optional<ScaleDecision> decision = state.autoscaler.poll(now, state.desired);
    if (decision.isPresent() && decision.get().changes()) {
      ScaleDecision d = decision.get();
      events.normal(app.id(), id.name(), null, d.kind(), d.reason());
      state.desired = d.to();
    }
    if (state.desired > 0 || load.now() > 0) {
      later.accept(id, settings.granularity());
    }
    return state.desired;
  }

  /** Forgets a revision's autoscaler: it was deactivated or is gone. */
  static void stop(RevisionState state) {
    state.autoscaler = null;
    state.desired = 0;
  }

  private static int clamp(int replicas, ScaleSettings settings) {
    return Math.max(settings.minReplicas(), Math.min(settings.maxReplicas(), replicas));
  }
}
