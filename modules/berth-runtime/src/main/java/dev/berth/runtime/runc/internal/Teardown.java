package dev.berth.runtime.runc.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes everything a replica had, in order, whatever state a crash left it in: the runc
 * container, the overlay mount, the secret volumes' tmpfs, the network namespace, the cgroups, the
 * address, the bundle and, last, the record. Each step tolerates what is already gone, so it can
 * run any number of times.
 */
public final class Teardown {

  private static final Logger LOG = LoggerFactory.getLogger(Teardown.class);

  private final StateLayout layout;
  private final Runc runc;
  private final HostNetwork network;
  private final AddressPool pool;
  private final RecordStore records;

  public Teardown(
      StateLayout layout, Runc runc, HostNetwork network, AddressPool pool, RecordStore records) {
    this.layout = layout;
    this.runc = runc;
    this.network = network;
    this.pool = pool;
    this.records = records;
  }

  /**
   * Removes the replica's leftovers; failures are logged and the remaining steps still run. The
   * record stays when a step failed, so that the next runtime tries again.
   */
  public void run(ReplicaRecord record) {
    List<String> failures = new ArrayList<>();
    String name = record.name();
    step(failures, "runc delete", () -> runc.delete(record.containerId()));
    // A container that may still run could swap a folder of its bundle for a link while the
    // bundle is deleted as root: its files wait for a teardown that sees it gone.
    boolean stopped = failures.isEmpty();
    step(failures, "umount", () -> RootFs.unmount(layout, name));
    step(failures, "volumes", () -> Volumes.release(layout.bundle(name)));
    step(failures, "netns", () -> network.detach(record.netns(), record.veth()));
    step(failures, "cgroups", () -> Cgroups.remove(record.cgroupsPath()));
    step(failures, "address", () -> pool.release(name));
    if (stopped) {
      step(failures, "bundle", () -> deleteBundle(name));
    }
    if (failures.isEmpty()) {
      step(failures, "record", () -> records.delete(name));
    } else {
      LOG.warn("replica {} was not fully removed: {}", name, failures);
    }
  }

  private void deleteBundle(String name) throws IOException {
    Path bundle = layout.bundle(name);
    if (!Files.exists(bundle)) {
      return;
    }
    if (RootFs.isMountPoint(layout.rootfs(name))) {
      throw new IOException(layout.rootfs(name) + " is still mounted; not deleting the bundle");
    }
    RootFs.removeTree(bundle);
  }

  private interface Step {
    void run() throws IOException;
  }

  private static void step(List<String> failures, String what, Step step) {
    try {
      step.run();
    } catch (IOException | RuntimeException e) {
      failures.add(what + ": " + e.getMessage());
    }
  }
}
