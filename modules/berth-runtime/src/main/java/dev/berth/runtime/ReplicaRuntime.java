package dev.berth.runtime;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Runs replicas. The one driver is runc ({@code dev.berth.runtime.runc}); {@code berth up --runtime
 * none} runs none. A Kubernetes driver, mapping the same calls onto pods, is planned, not written.
 * Thread-safe.
 *
 * <p>A runtime outlives the process that drives it: replicas keep running when Berth stops, and a
 * new runtime over the same state directory finds them again in {@link #list()} (adopted: their
 * exits are reported as for replicas it started). Cleaning up what should no longer run is the
 * caller's decision: it calls {@link #stop} for what it does not want.
 */
public interface ReplicaRuntime extends AutoCloseable {

  /**
   * Starts a replica and returns once its process runs (not once it is ready: probes are the
   * caller's).
   *
   * @throws RuntimeFailure when it cannot start; the message says why (a missing tool, missing
   *     privileges, a bad command) in words a user can act on
   */
  ReplicaStatus start(ReplicaSpec spec) throws RuntimeFailure;

  /**
   * Stops a replica: SIGTERM, up to its grace period, then SIGKILL; then removes its container,
   * root file system and network. Idempotent: an unknown name is not an error.
   */
  void stop(String name);

  /** Every replica this runtime holds, running or exited but not yet stopped. */
  List<ReplicaStatus> list();

  /** Called, on a runtime thread, each time a replica's process exits. */
  void onExit(Consumer<ReplicaStatus> listener);

  /**
   * Called with a replica's name and IP address once the address is assigned, on the thread that
   * calls {@link #start}, before the replica's process starts: whoever must recognise the replica
   * by its address (the managed-identity endpoint) knows it before the replica's first request.
   */
  void onAddressAssigned(BiConsumer<String, String> listener);

  /** Stops watching; leaves the replicas running. */
  @Override
  void close();
}
