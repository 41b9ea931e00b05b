package dev.berth.reconciler;

import dev.berth.runtime.ReplicaRuntime;
import dev.berth.runtime.ReplicaSpec;
import dev.berth.runtime.ReplicaStatus;
import dev.berth.runtime.RuntimeFailure;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A runtime that runs nothing: replicas are entries a test can make exit. It keeps the books as a
 * real runtime does ({@link FakeRuntimeTest}): a name in use is refused, a closed runtime reports
 * no exits.
 */
final class FakeRuntime implements ReplicaRuntime {

  final Map<String, ReplicaStatus> replicas = new ConcurrentHashMap<>();
  final Map<String, ReplicaSpec> specs = new ConcurrentHashMap<>();
  final List<String> started = new CopyOnWriteArrayList<>();
  final List<String> stopped = new CopyOnWriteArrayList<>();
  private final List<Consumer<ReplicaStatus>> listeners = new CopyOnWriteArrayList<>();
  private final List<BiConsumer<String, String>> addressListeners = new CopyOnWriteArrayList<>();

  /** The address every replica gets, as the runc runtime's pool would assign one. */
  volatile String address = "127.0.0.1";

  private volatile boolean closed;

  @Override
  public ReplicaStatus start(ReplicaSpec spec) throws RuntimeFailure {
    if (replicas.containsKey(spec.name())) {
      throw new RuntimeFailure(
          "a replica named '" + spec.name() + "' already exists: stop it first");
    }
    // As the runc runtime does: the address is announced before the process would run.
    addressListeners.forEach(l -> l.accept(spec.name(), address));
    ReplicaStatus status =
        new ReplicaStatus(
            spec.name(),
            spec.labels(),
            ReplicaStatus.State.RUNNING,
            address,
            Instant.now(),
            Optional.empty(),
            false);
    replicas.put(spec.name(), status);
    specs.put(spec.name(), spec);
    started.add(spec.name());
    return status;
  }

  /** Pretends the replica's process ended. */
  void exit(String name, int code, boolean oom) {
    ReplicaStatus r = replicas.get(name);
    ReplicaStatus exited =
        new ReplicaStatus(
            r.name(),
            r.labels(),
            ReplicaStatus.State.EXITED,
            r.address(),
            r.startedAt(),
            Optional.of(code),
            oom);
    replicas.put(name, exited);
    if (!closed) {
      listeners.forEach(l -> l.accept(exited));
    }
  }

  /** Pretends a replica was left running by an earlier Berth. */
  void leftRunning(String name, Map<String, String> labels) {
    replicas.put(
        name,
        new ReplicaStatus(
            name,
            labels,
            ReplicaStatus.State.RUNNING,
            "127.0.0.1",
            Instant.now(),
            Optional.empty(),
            false));
  }

  @Override
  public void stop(String name) {
    if (replicas.remove(name) != null) {
      stopped.add(name);
    }
  }

  @Override
  public List<ReplicaStatus> list() {
    return new ArrayList<>(replicas.values());
  }

  @Override
  public void onExit(Consumer<ReplicaStatus> listener) {
    listeners.add(listener);
  }

  @Override
  public void onAddressAssigned(BiConsumer<String, String> listener) {
    addressListeners.add(listener);
  }

  @Override
  public void close() {
    closed = true;
  }
}
