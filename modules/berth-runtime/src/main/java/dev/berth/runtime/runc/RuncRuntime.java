package dev.berth.runtime.runc;

import dev.berth.api.files.PrivateFiles;
import dev.berth.runtime.ReplicaExtras;
import dev.berth.runtime.ReplicaRuntime;
import dev.berth.runtime.ReplicaSpec;
import dev.berth.runtime.ReplicaStatus;
import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.runc.internal.AddressPool;
import dev.berth.runtime.runc.internal.Cgroups;
import dev.berth.runtime.runc.internal.HostNetwork;
import dev.berth.runtime.runc.internal.KernelLog;
import dev.berth.runtime.runc.internal.LiveReplica;
import dev.berth.runtime.runc.internal.LogTail;
import dev.berth.runtime.runc.internal.OciSpec;
import dev.berth.runtime.runc.internal.Preflight;
import dev.berth.runtime.runc.internal.ProcessPlan;
import dev.berth.runtime.runc.internal.RecordStore;
import dev.berth.runtime.runc.internal.ReplicaRecord;
import dev.berth.runtime.runc.internal.RootFs;
import dev.berth.runtime.runc.internal.Runc;
import dev.berth.runtime.runc.internal.StateLayout;
import dev.berth.runtime.runc.internal.Subnet;
import dev.berth.runtime.runc.internal.Teardown;
import dev.berth.runtime.runc.internal.UserLookup;
import dev.berth.runtime.runc.internal.Volumes;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded replica runtime: each replica is a runc container on an overlay of its image's
 * layers, in its own network namespace on a host bridge, with its cgroup limits. {@code runc run}
 * runs in the foreground as this JVM's child so the exit code is kept; replicas outlive the runtime
 * and a new one over the same state directory adopts them. Thread-safe.
 */
public final class RuncRuntime implements ReplicaRuntime {

  private static final Logger LOG = LoggerFactory.getLogger(RuncRuntime.class);
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration ADOPTED_POLL = Duration.ofSeconds(1);

  private final RuncConfig config;
  private final StateLayout layout;
  private final Subnet subnet;
  private final HostNetwork network;
  private final AddressPool pool;
  private final RecordStore records;
  private final Runc runc;
  private final Teardown teardown;
  private final Map<String, LiveReplica> replicas = new ConcurrentHashMap<>();
  private final Set<String> starting = ConcurrentHashMap.newKeySet();
  private final List<Consumer<ReplicaStatus>> listeners = new CopyOnWriteArrayList<>();
  private final List<BiConsumer<String, String>> addressListeners = new CopyOnWriteArrayList<>();
  private final Thread watcher;
  private volatile boolean closed;
  private volatile Function<Map<String, String>, ReplicaExtras> extras =
      labels -> ReplicaExtras.NONE;

  /**
   * Held while a replica's {@code hosts} is written: a start's and a refresh's never interleave.
   */
  private final Object etcHosts = new Object();

  private RuncRuntime(RuncConfig config, Subnet subnet) throws IOException {
    this.config = config;
    this.layout = new StateLayout(config.stateDir().toAbsolutePath());
    this.subnet = subnet;
    this.network = new HostNetwork(subnet, config.bridgeName());
    // The state dir holds replicas' configs (their secrets among the env): owner only.
    PrivateFiles.createDirectories(layout.runcRoot());
    this.pool = AddressPool.load(subnet, layout.addresses());
    this.records = new RecordStore(layout);
    this.runc = new Runc(config.runcBinary(), layout.runcRoot());
    this.teardown = new Teardown(layout, runc, network, pool, records);
    network.ensureBridge();
    adoptOrClean();
    this.watcher = Thread.ofVirtual().name("runc-adopted-watcher").start(this::watchAdopted);
  }

  /**
   * Checks the host, creates the bridge if missing, adopts the replicas still running from a
   * previous runtime over the same state directory and removes the leftovers of the others.
   *
   * @throws RuntimeFailure naming what the host lacks (root, runc, ip, overlay) or what failed
   */
  public static RuncRuntime open(RuncConfig config) throws RuntimeFailure {
    Subnet subnet;
    try {
      subnet = Subnet.parse(config.networkCidr());
    } catch (IllegalArgumentException e) {
      throw new RuntimeFailure(e.getMessage(), e);
    }
    Preflight.check(config.runcBinary());
    try {
      return new RuncRuntime(config, subnet);
    } catch (IOException e) {
      throw new RuntimeFailure(
          "cannot open the runc runtime in " + config.stateDir() + ": " + e.getMessage(), e);
    }
  }

  /** The bridge's address: replicas reach the host here (the managed-identity endpoint). */
  public InetAddress gatewayAddress() {
    return Subnet.inet(subnet.gateway());
  }

  /**
   * Where replicas get the host's additions from ({@link ReplicaExtras}), given a replica's labels
   * (its extras may depend on what it belongs to): asked at every start, and for every replica at
   * every {@link #refreshExtras()}. Call before the first start.
   */
  public void useExtras(Function<Map<String, String>, ReplicaExtras> source) {
    this.extras = source;
  }

  /**
   * The extras changed: rewrites every replica's {@code /etc/hosts} in place, so running replicas
   * (adopted ones too) resolve the new names at once. Read-only files are mounted at a replica's
   * start: running replicas keep the ones they started with.
   */
  public void refreshExtras() {
    synchronized (etcHosts) {
      try {
        for (ReplicaRecord record : records.readAll()) {
          try {
            RootFs.rewriteHosts(
                layout, record.name(), record.address(), currentExtras(record.labels()));
          } catch (IOException e) {
            LOG.warn("cannot rewrite the hosts file of replica {}", record.name(), e);
          }
        }
      } catch (IOException e) {
        LOG.warn("cannot read the replicas' records to rewrite their hosts files", e);
      }
    }
  }

  private ReplicaExtras currentExtras(Map<String, String> labels) {
    try {
      return extras.apply(labels);
    } catch (RuntimeException e) {
      // A replica without the host's names still runs; its app may not need them.
      LOG.warn("cannot read the replicas' extras; starting without them", e);
      return ReplicaExtras.NONE;
    }
  }

  @Override
  public ReplicaStatus start(ReplicaSpec spec) throws RuntimeFailure {
    String name = spec.name();
    if (!NAME.matcher(name).matches()) {
      throw new RuntimeFailure(
          "replica name '" + name + "' is not a valid container id: use [a-z0-9-], at most 63");
    }
    if (closed) {
      throw new RuntimeFailure("the runc runtime is closed");
    }
    if (replicas.containsKey(name) || !starting.add(name)) {
      throw new RuntimeFailure("a replica named '" + name + "' already exists: stop it first");
    }
    try {
      return launch(spec);
    } finally {
      starting.remove(name);
    }
  }

  private ReplicaStatus launch(ReplicaSpec spec) throws RuntimeFailure {
    String name = spec.name();
    String id = config.namePrefix() + "-" + name;
    ProcessPlan plan;
    try {
      plan = ProcessPlan.of(spec.image().config(), spec.command(), spec.args(), spec.env(), name);
    } catch (IllegalArgumentException e) {
      throw new RuntimeFailure("cannot start replica " + name + ": " + e.getMessage(), e);
    }
    ReplicaRecord record = null;
    try {
      String address = Subnet.format(pool.allocate(name));
      record =
          new ReplicaRecord(
              name,
              spec.labels(),
              id,
              address,
              id,
              HostNetwork.vethName(config.namePrefix() + "/" + name),
              "/" + config.namePrefix() + "/" + name,
              Instant.now().toString(),
              KernelLog.uptime(),
              spec.stopGrace().toMillis());
      records.write(record);
      announceAddress(name, address);
      PrivateFiles.createDirectories(layout.bundle(name));
      // The namespace and veth (two `ip` processes) are made while the root file system and the
      // bundle are prepared: neither needs the other until runc runs.
      ReplicaRecord attached = record;
      FutureTask<Void> networkReady =
          new FutureTask<>(
              () -> {
                network.attach(attached.netns(), attached.veth(), Subnet.toInt(address));
                return null;
              });
      Thread.ofVirtual().name("runc-network-" + name).start(networkReady);
      try {
        prepareBundle(spec, plan, record);
      } finally {
        // Also on failure: the teardown must not race a namespace still being made.
        awaitNetwork(networkReady);
      }
      Path config = layout.bundle(name).resolve("config.json");
      Process process =
          runc.run(id, layout.bundle(name), layout.pidFile(name), spec.logFile().toAbsolutePath());
      try {
        return awaitRunning(record, process, spec.logFile());
      } finally {
        removeSecretEnv(name, config, spec.secretEnv());
      }
    } catch (IOException | RuntimeFailure e) {
      if (record != null) {
        teardown.run(record);
      } else {
        releaseQuietly(name);
      }
      String reason = e.getMessage();
      throw new RuntimeFailure("cannot start replica " + name + ": " + reason, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      teardown.run(record);
      throw new RuntimeFailure("interrupted while starting replica " + name, e);
    }
  }

  /** Mounts the root file system and writes the bundle: /etc files and config.json (0600). */
  private void prepareBundle(ReplicaSpec spec, ProcessPlan plan, ReplicaRecord record)
      throws IOException {
    String name = spec.name();
    RootFs.mount(layout, name, spec.image().layers());
    ReplicaExtras extras;
    synchronized (etcHosts) {
      // Under the lock refreshExtras() takes: a change of the extras meanwhile either comes
      // before this write (and is in it) or after (and rewrites it).
      extras = currentExtras(spec.labels());
      RootFs.writeEtcFiles(layout, name, record.address(), extras);
    }
    UserLookup.Ids user = UserLookup.resolve(spec.image().config().user(), layout.rootfs(name));
    var oci =
        OciSpec.build(
            new OciSpec.Inputs(
                name,
                plan,
                user,
                layout.rootfs(name),
                layout.bundle(name),
                "/run/netns/" + record.netns(),
                record.cgroupsPath(),
                spec.cpu(),
                spec.memoryBytes(),
                extras.files().stream().map(ReplicaExtras.ReadOnlyFile::destination).toList(),
                extras.directories().stream()
                    .collect(
                        java.util.stream.Collectors.toMap(
                            ReplicaExtras.ReadOnlyDirectory::destination,
                            ReplicaExtras.ReadOnlyDirectory::source,
                            (a, b) -> b)),
                Volumes.prepare(layout.bundle(name), spec.volumes())));
    // 0600, and only until the container runs: the env holds the app's secrets.
    PrivateFiles.writeString(layout.bundle(name).resolve("config.json"), OciSpec.toJson(oci));
  }

  /**
   * Waits for the network set-up, through interrupts (the teardown after them must not race it);
   * its failure is the start's.
   */
  private static void awaitNetwork(FutureTask<Void> networkReady) throws IOException {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          networkReady.get();
          return;
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          if (e.getCause() instanceof IOException io) {
            throw io;
          }
          throw new IOException("network set-up failed: " + e.getCause(), e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Waits until the container runs: {@code runc run} writes the pid file (atomically, by rename)
   * only once the container's process has been started, so its appearance is the sign, read with a
   * stat every millisecond or two rather than a {@code runc state} process every 10 ms.
   */
  private ReplicaStatus awaitRunning(ReplicaRecord record, Process process, Path logFile)
      throws IOException, InterruptedException, RuntimeFailure {
    Path pidFile = layout.pidFile(record.name());
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        if (readPid(pidFile).isEmpty()) {
          throw new RuntimeFailure("runc failed: " + LogTail.of(logFile));
        }
        // The container ran and has already exited: a replica like any other, whose exit is known.
        LiveReplica replica = new LiveReplica(record, Optional.of(process), 0);
        replicas.put(record.name(), replica);
        return reportExit(replica, Optional.of(process.exitValue()));
      }
      Optional<Long> pid = readPid(pidFile);
      if (pid.isPresent()) {
        // runc writes the pid file with its umask's mode (0644): owner-only like the bundle.
        PrivateFiles.restrict(pidFile);
        LiveReplica replica = new LiveReplica(record, Optional.of(process), pid.get());
        replicas.put(record.name(), replica);
        Thread.ofVirtual()
            .name("runc-wait-" + record.name())
            .start(() -> awaitExit(replica, process));
        return replica.status();
      }
      Thread.sleep(Duration.ofMillis(1));
    }
    process.destroyForcibly();
    throw new RuntimeFailure("the container did not reach 'running' in " + START_TIMEOUT);
  }

  /** The pid in runc's pid file, once runc has written it. */
  private static Optional<Long> readPid(Path pidFile) throws IOException {
    try {
      String text = Files.readString(pidFile).strip();
      return text.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(text));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (NumberFormatException e) {
      throw new IOException("runc wrote no pid to " + pidFile, e);
    }
  }

  private void awaitExit(LiveReplica replica, Process process) {
    try {
      int code = process.waitFor();
      reportExit(replica, Optional.of(code));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private ReplicaStatus reportExit(LiveReplica replica, Optional<Integer> code) {
    ReplicaStatus status = replica.exited(code);
    if (closed || replica.stopping()) {
      return status;
    }
    for (Consumer<ReplicaStatus> listener : listeners) {
      try {
        listener.accept(status);
      } catch (RuntimeException e) {
        LOG.warn("an onExit listener failed for replica {}", replica.record().name(), e);
      }
    }
    return status;
  }

  @Override
  public void stop(String name) {
    LiveReplica replica = replicas.get(name);
    if (replica == null) {
      return;
    }
    synchronized (replica) {
      replica.markStopping();
      String id = replica.record().containerId();
      try {
        if (replica.running()) {
          Duration grace = Duration.ofMillis(replica.record().stopGraceMillis());
          if (runc.kill(id, "TERM") && !awaitGone(replica, grace)) {
            runc.kill(id, "KILL");
            awaitGone(replica, KILL_TIMEOUT);
          }
        }
      } catch (IOException e) {
        LOG.warn("signalling replica {} failed; deleting it by force", name, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      teardown.run(replica.record());
      replicas.remove(name, replica);
    }
  }

  private boolean awaitGone(LiveReplica replica, Duration timeout) throws InterruptedException {
    if (replica.process().isPresent()) {
      return replica.process().get().waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!replica.processGone()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  @Override
  public List<ReplicaStatus> list() {
    return replicas.values().stream().map(LiveReplica::status).toList();
  }

  @Override
  public void onExit(Consumer<ReplicaStatus> listener) {
    listeners.add(listener);
  }

  @Override
  public void onAddressAssigned(BiConsumer<String, String> listener) {
    addressListeners.add(listener);
  }

  private static void removeSecretEnv(String name, Path config, Set<String> secretEnv) {
    try {
      OciSpec.removeSecretEnv(config, secretEnv);
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "replica {}: cannot take its secrets out of {} (the file stays 0600)", name, config, e);
    }
  }

  private void announceAddress(String name, String address) {
    for (BiConsumer<String, String> listener : addressListeners) {
      try {
        listener.accept(name, address);
      } catch (RuntimeException e) {
        LOG.warn("an onAddressAssigned listener failed for replica {}", name, e);
      }
    }
  }

  /**
   * Removes what a runtime on {@code bridge} with names prefixed {@code prefix} keeps between
   * starts on purpose, its bridge and its cgroup parents, once none of its replicas runs: for a
   * Berth that goes for good (the start-up training, tests).
   */
  public static void removeHostState(String bridge, String prefix) throws IOException {
    HostNetwork.deleteBridge(bridge);
    Cgroups.removeParent(prefix);
  }

  /** Stops watching; the replicas keep running and the next runtime adopts them. */
  @Override
  public void close() {
    closed = true;
    watcher.interrupt();
  }

  private void adoptOrClean() throws IOException {
    Set<String> ids = new HashSet<>();
    for (ReplicaRecord record : records.readAll()) {
      Optional<Runc.State> state = runc.state(record.containerId());
      if (state.isPresent() && state.get().status().equals("running")) {
        // runc writes the pid file with its umask's mode (0644); keep the bundle owner-only.
        PrivateFiles.restrict(layout.pidFile(record.name()));
        replicas.put(record.name(), new LiveReplica(record, Optional.empty(), state.get().pid()));
        ids.add(record.containerId());
        LOG.info("adopted replica {} (pid {})", record.name(), state.get().pid());
      } else {
        LOG.info("removing the leftovers of replica {}, which no longer runs", record.name());
        teardown.run(record);
      }
    }
    pool.retainOnly(replicas.keySet());
    for (String id : runc.list()) {
      if (id.startsWith(config.namePrefix() + "-") && !ids.contains(id)) {
        LOG.info("deleting container {}, which has no replica record", id);
        runc.delete(id);
      }
    }
  }

  private void watchAdopted() {
    while (!closed) {
      for (LiveReplica replica : replicas.values()) {
        if (replica.process().isEmpty()
            && replica.running()
            && !replica.stopping()
            && replica.processGone()) {
          reportExit(replica, Optional.empty());
        }
      }
      try {
        Thread.sleep(ADOPTED_POLL);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void releaseQuietly(String name) {
    try {
      pool.release(name);
    } catch (IOException e) {
      LOG.warn("cannot release the address of replica {}", name, e);
    }
  }
}
