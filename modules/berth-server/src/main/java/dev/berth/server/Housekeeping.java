package dev.berth.server;

import dev.berth.controlplane.ArmApi;
import dev.berth.controlplane.RecoveryReport;
import dev.berth.registry.blob.BlobStore;
import dev.berth.registry.distribution.GarbageCollector;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Berth's chores beside the requests: at start, finishing what a crashed predecessor left in flight
 * (ARM operations); then, each on a virtual thread of the background executor until shutdown,
 * pruning ended ARM operations past their retention, purging abandoned uploads and collecting
 * registry garbage, as {@link HousekeepingSettings} say. A chore that fails is logged and tried
 * again at its next turn. Thread-safe.
 */
final class Housekeeping {

  private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);
  private static final Duration HOURLY = Duration.ofHours(1);

  private final ArmApi arm;
  private final BlobStore blobs;
  private final GarbageCollector garbage;
  private final HousekeepingSettings settings;
  private final CompletableFuture<RecoveryReport> recovery = new CompletableFuture<>();

  Housekeeping(
      ArmApi arm, BlobStore blobs, GarbageCollector garbage, HousekeepingSettings settings) {
    this.arm = arm;
    this.blobs = blobs;
    this.garbage = garbage;
    this.settings = settings;
  }

  /**
   * Starts recovery and the periodic chores on {@code background}. Recovery scans the store there
   * too, so a large store does not delay the start; requests served meanwhile are safe (a resource
   * they write belongs to them, and recovery leaves it alone).
   */
  void start(ExecutorService background) {
    background.execute(
        () -> {
          try {
            recovery.complete(arm.recoverInterruptedOperations());
          } catch (RuntimeException | Error e) {
            LOG.error("recovering interrupted operations failed", e);
            recovery.completeExceptionally(e);
          }
        });
    background.execute(
        () -> {
          purge("purging expired uploads");
          every(HOURLY, "purging expired uploads", this::purge);
        });
    background.execute(
        () -> every(operationSweep(), "pruning ended operations", this::pruneOperations));
    if (!settings.gcInterval().isZero()) {
      background.execute(
          () -> every(settings.gcInterval(), "registry garbage collection", this::collectGarbage));
    }
  }

  /** One registry collection now, with the configured grace period. */
  GarbageCollector.Report collectGarbage() throws IOException {
    return collectGarbage(settings.gcGrace());
  }

  /** One registry collection now, with this grace period (tests). */
  GarbageCollector.Report collectGarbage(Duration grace) throws IOException {
    return garbage.collect(grace);
  }

  int pruneOperations() {
    int pruned = arm.pruneOperations(Instant.now(), settings.operationRetention());
    if (pruned > 0) {
      LOG.info(
          "pruned {} operations that ended over {} ago", pruned, settings.operationRetention());
    }
    return pruned;
  }

  private void purge() throws IOException {
    blobs.purgeExpiredUploads(Instant.now());
  }

  /** The first purge, at start: a crash leaves orphans in uploads/ and tmp/. */
  private void purge(String what) {
    try {
      purge();
    } catch (IOException | RuntimeException e) {
      LOG.warn("{} failed; trying again in {}", what, HOURLY, e);
    }
  }

  /** A sweep a few times per retention, at most hourly: a pruned document is never far late. */
  private Duration operationSweep() {
    Duration quarter = settings.operationRetention().dividedBy(4);
    return quarter.compareTo(HOURLY) < 0 && !quarter.isZero() ? quarter : HOURLY;
  }

  @FunctionalInterface
  private interface Chore {
    void run() throws Exception;
  }

  /** Runs {@code chore} once per {@code interval}, the first time after one interval. */
  private static void every(Duration interval, String what, Chore chore) {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Thread.sleep(interval);
        chore.run();
      } catch (InterruptedException e) {
        return;
      } catch (Exception | Error e) {
        LOG.warn("{} failed; trying again in {}", what, interval, e);
      }
    }
  }
}
