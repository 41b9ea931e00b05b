package dev.berth.runtime;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What the runtime knows of one replica.
 *
 * @param address the replica's own IP address (its veth end), which the host reaches directly
 * @param exitCode set once the container has exited
 * @param oomKilled the kernel's OOM killer ended it (memory limit reached)
 */
public record ReplicaStatus(
    String name,
    Map<String, String> labels,
    State state,
    String address,
    Instant startedAt,
    Optional<Integer> exitCode,
    boolean oomKilled) {

  public enum State {
    RUNNING,
    EXITED
  }
}
