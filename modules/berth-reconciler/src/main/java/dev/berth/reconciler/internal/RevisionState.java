package dev.berth.reconciler.internal;

import dev.berth.runtime.image.PulledImage;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

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
  Instant nextPullAt = Instant.EPOCH;
  int crashesBeforeReady;
  boolean announcedRunning;
  final Map<String, Slot> slots = new LinkedHashMap<>();

  RevisionState(long restartGeneration) {
    this.restartGeneration = restartGeneration;
  }
}
