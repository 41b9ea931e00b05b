package dev.berth.runtime.runc.internal;

import dev.berth.runtime.ReplicaStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * A replica the runtime holds: its record, the foreground {@code runc run} process when this
 * runtime started it (empty when adopted), the container's host pid and the latest status.
 * Thread-safe: status and the stopping flag are volatile; stop holds the object's monitor.
 */
public final class LiveReplica {

  private final ReplicaRecord record;
  private final Optional<Process> process;
  private final long pid;
  private volatile ReplicaStatus status;
  private volatile boolean stopping;

  public LiveReplica(ReplicaRecord record, Optional<Process> process, long pid) {
    this.record = record;
    this.process = process;
    this.pid = pid;
    this.status =
        new ReplicaStatus(
            record.name(),
            record.labels(),
            ReplicaStatus.State.RUNNING,
            record.address(),
            Instant.parse(record.startedAt()),
            Optional.empty(),
            false);
  }

  public ReplicaRecord record() {
    return record;
  }

  public Optional<Process> process() {
    return process;
  }

  public long pid() {
    return pid;
  }

  public ReplicaStatus status() {
    return status;
  }

  public boolean running() {
    return status.state() == ReplicaStatus.State.RUNNING;
  }

  /** Records the exit; the OOM verdict comes from the kernel log. */
  public ReplicaStatus exited(Optional<Integer> exitCode) {
    boolean oom = KernelLog.oomKilledSince(record.cgroupsPath(), record.startedUptime());
    status =
        new ReplicaStatus(
            record.name(),
            record.labels(),
            ReplicaStatus.State.EXITED,
            record.address(),
            status.startedAt(),
            exitCode,
            oom);
    return status;
  }

  public boolean stopping() {
    return stopping;
  }

  public void markStopping() {
    stopping = true;
  }

  /** Whether the container's init process is gone (or a zombie nobody reaped yet). */
  public boolean processGone() {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      int close = stat.lastIndexOf(')');
      return close < 0 || stat.length() < close + 3 || stat.charAt(close + 2) == 'Z';
    } catch (IOException e) {
      return true;
    }
  }
}
