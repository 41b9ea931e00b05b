package dev.berth.runtime.runc.internal;

import java.nio.file.Path;

/**
 * Where the runtime keeps its files. The one place the on-disk layout is drawn:
 *
 * <pre>
 * stateDir/
 *   addresses.json             replica name → IP address (the address pool)
 *   runc/                      runc --root: runc's own container state
 *   replicas/NAME.json         the replica's record, written before runc starts
 *   bundles/NAME/
 *     config.json              the OCI runtime config
 *     rootfs/                  overlay mount point: image layers + upper/
 *     upper/  work/            the overlay's writable layer and its work dir
 *     hosts  resolv.conf       bind-mounted to /etc/hosts and /etc/resolv.conf (hosts: the
 *                              host's extra names too, rewritten in place when they change)
 *     files/0, files/1, …      the host's extra files (ReplicaExtras), bind-mounted read-only
 *     pid                      the container init's host pid (runc --pid-file)
 * </pre>
 */
public record StateLayout(Path root) {

  public Path addresses() {
    return root.resolve("addresses.json");
  }

  public Path runcRoot() {
    return root.resolve("runc");
  }

  public Path records() {
    return root.resolve("replicas");
  }

  public Path record(String name) {
    return records().resolve(name + ".json");
  }

  public Path bundle(String name) {
    return root.resolve("bundles").resolve(name);
  }

  public Path rootfs(String name) {
    return bundle(name).resolve("rootfs");
  }

  public Path upper(String name) {
    return bundle(name).resolve("upper");
  }

  public Path work(String name) {
    return bundle(name).resolve("work");
  }

  public Path pidFile(String name) {
    return bundle(name).resolve("pid");
  }
}
