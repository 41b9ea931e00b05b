package dev.berth.reconciler.internal;

import dev.berth.api.app.RevisionStatus;
import dev.berth.autoscaler.Autoscaler;
import dev.berth.runtime.image.PulledImage;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the reconciler remembers of one revision between passes: the image it pulled, the pull's
 * back-off, and its replica slots. Lost on restart by design: an adopted replica needs none of it,
 * and a replica that must start again pulls again (Container Apps' pull policy is Always).
 */
final class RevisionState {

  /**
   * One replica the revision should have; its name survives restarts of its container (each start
   * gets a new {@code IDENTITY_HEADER}, which only the replica's environment keeps).
   */
  static final class Slot {
    final String name;
    int restarts;
    Instant nextStartAt = Instant.EPOCH;
    Instant startedAt;
    boolean ready;
    boolean everReady;
    int livenessFailures;
    String lastExit;

    Slot(String name) {
      this.name = name;
    }
  }

  long restartGeneration;
  PulledImage image;
  int pullFailures;
  volatile Instant nextPullAt = Instant.EPOCH;

  /** The last failed pull, until a pull succeeds; read by other threads (diagnose, wake-ups). */
  volatile PullFailure lastFailure;

  /**
   * Set when something the failed pull depends on changed: the next pass pulls without waiting for
   * the back-off. A flag rather than a reset of {@link #nextPullAt}, so that a pass failing at the
   * same moment cannot undo it.
   */
  final AtomicBoolean retryNow = new AtomicBoolean();

  int crashesBeforeReady;
  boolean announcedRunning;

  /** The revision's autoscaler, while it is active; null before its first pass. */
  Autoscaler autoscaler;

  /** The replicas its autoscaler last decided on. */
  int desired;

  /** When the probes of its ready replicas are next due (a pass in between skips them). */
  Instant probesDueAt = Instant.EPOCH;

  final Map<String, Slot> slots = new LinkedHashMap<>();

  RevisionState(long restartGeneration) {
    this.restartGeneration = restartGeneration;
  }

  /** How many slots are ready. */
  int ready() {
    return (int) slots.values().stream().filter(s -> s.ready).count();
  }

  /** The last exit of the first slot that exited, as the revision's error names it. */
  Optional<String> lastExit() {
    return slots.values().stream().map(s -> s.lastExit).filter(e -> e != null).findFirst();
  }

  /**
   * What the slots add up to: running once {@code wanted} are ready; after {@code
   * crashLoopThreshold} exits before any was ready, crash-looping (degraded if it had run);
   * provisioning otherwise.
   */
  RevisionStatus status(int wanted, int crashLoopThreshold) {
    if (ready() >= wanted) {
      return RevisionStatus.RUNNING;
    }
    if (crashesBeforeReady >= crashLoopThreshold) {
      return announcedRunning ? RevisionStatus.DEGRADED : RevisionStatus.CRASH_LOOPING;
    }
    return RevisionStatus.PROVISIONING;
  }
}
