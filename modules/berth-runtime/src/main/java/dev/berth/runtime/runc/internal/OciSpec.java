package dev.berth.runtime.runc.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.files.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Writes a replica's OCI runtime configuration ({@code config.json}): the defaults of {@code runc
 * spec} (capabilities, masked and read-only paths, mounts) with the replica's process, user,
 * network namespace, cgroup and limits.
 *
 * @see <a href="https://github.com/opencontainers/runtime-spec/blob/main/config.md">OCI runtime
 *     config</a>
 */
public final class OciSpec {

  /**
   * Never above the host's hard limits ({@link HostLimits}); without CAP_SYS_RESOURCE, runc fails
   * to set a higher rlimit. 20000 open files and 32768 processes worked on the hosts Berth was
   * built on.
   */
  static final long MAX_NOFILE = 20000;

  static final long MAX_NPROC = 32768;
  static final long CPU_PERIOD = 100_000;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> CAPABILITIES =
      List.of("CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE");
  private static final List<String> MASKED =
      List.of(
          "/proc/acpi",
          "/proc/asound",
          "/proc/kcore",
          "/proc/keys",
          "/proc/latency_stats",
          "/proc/timer_list",
          "/proc/timer_stats",
          "/proc/sched_debug",
          "/sys/firmware",
          "/proc/scsi");
  private static final List<String> READONLY =
      List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");

  /**
   * What the configuration is made of.
   *
   * @param readOnlyFiles where the container sees the bundle's {@code files/0}, {@code files/1}, …
   *     ({@link RootFs#writeEtcFiles}), read-only
   * @param readOnlyDirectories host directories the container sees read-only, by destination
   */
  public record Inputs(
      String hostname,
      ProcessPlan process,
      UserLookup.Ids user,
      Path rootfs,
      Path bundle,
      String netnsPath,
      String cgroupsPath,
      double cpu,
      long memoryBytes,
      List<String> readOnlyFiles,
      Map<String, Path> readOnlyDirectories,
      List<Bind> volumes) {

    public Inputs {
      readOnlyFiles = List.copyOf(readOnlyFiles);
      readOnlyDirectories = new TreeMap<>(readOnlyDirectories);
      // A folder before what is mounted inside it: its path is a prefix, so it sorts first.
      volumes = volumes.stream().sorted(Comparator.comparing(Bind::destination)).toList();
    }

    /** A replica that gets no extra files. */
    public Inputs(
        String hostname,
        ProcessPlan process,
        UserLookup.Ids user,
        Path rootfs,
        Path bundle,
        String netnsPath,
        String cgroupsPath,
        double cpu,
        long memoryBytes) {
      this(
          hostname,
          process,
          user,
          rootfs,
          bundle,
          netnsPath,
          cgroupsPath,
          cpu,
          memoryBytes,
          List.of(),
          Map.of(),
          List.of());
    }
  }

  /**
   * A host folder or file bound into the container at {@code destination}: a volume ({@link
   * Volumes}), or one of the host's read-only folders.
   */
  public record Bind(String destination, Path source, boolean readOnly) {}

  private OciSpec() {}

  public static ObjectNode build(Inputs in) {
    ObjectNode root = JSON.createObjectNode();
    root.put("ociVersion", "1.0.2");
    ObjectNode process = root.putObject("process");
    process.put("terminal", false);
    process.putObject("user").put("uid", in.user().uid()).put("gid", in.user().gid());
    strings(process.putArray("args"), in.process().args());
    strings(process.putArray("env"), in.process().env());
    process.put("cwd", in.process().cwd());
    ObjectNode caps = process.putObject("capabilities");
    for (String set : List.of("bounding", "effective", "permitted", "ambient")) {
      strings(caps.putArray(set), CAPABILITIES);
    }
    ArrayNode rlimits = process.putArray("rlimits");
    rlimit(rlimits, "RLIMIT_NOFILE", HostLimits.capped("Max open files", MAX_NOFILE));
    rlimit(rlimits, "RLIMIT_NPROC", HostLimits.capped("Max processes", MAX_NPROC));
    process.put("noNewPrivileges", true);

    root.putObject("root").put("path", in.rootfs().toString()).put("readonly", false);
    root.put("hostname", in.hostname());
    ArrayNode mounts = root.putArray("mounts");
    mounts(mounts, in.bundle(), in.readOnlyFiles(), in.readOnlyDirectories());
    // The app's volumes last: runc creates their destinations in the replica's upper dir.
    in.volumes().forEach(b -> bind(mounts, b));

    ObjectNode linux = root.putObject("linux");
    ObjectNode resources = linux.putObject("resources");
    resources.putArray("devices").addObject().put("allow", false).put("access", "rwm");
    if (in.memoryBytes() > 0) {
      resources.putObject("memory").put("limit", in.memoryBytes()).put("swap", in.memoryBytes());
    }
    if (in.cpu() > 0) {
      resources
          .putObject("cpu")
          .put("quota", Math.round(in.cpu() * CPU_PERIOD))
          .put("period", CPU_PERIOD);
    }
    linux.put("cgroupsPath", in.cgroupsPath());
    ArrayNode namespaces = linux.putArray("namespaces");
    for (String type : List.of("pid", "ipc", "uts", "mount")) {
      namespaces.addObject().put("type", type);
    }
    namespaces.addObject().put("type", "network").put("path", in.netnsPath());
    // An app's accept queue is the app's (busybox httpd asks for 9). A burst overflows it, and by
    // default the kernel then answers the surplus with SYN cookies and drops their handshake ACKs:
    // the ingress believes it is connected, its request is dropped too, and it waits on TCP's
    // backed-off retransmissions, all in step (past 30 s once in CI). Instead, refuse what does
    // not fit at once: a SYN the queue cannot hold is dropped (the connect is retried in 1 s) and
    // an ACK it cannot hold is reset; the ingress then tries again (docs/ingress.md, "Bursts and
    // the app's accept queue"). Both settings are per network namespace: this replica's.
    linux
        .putObject("sysctl")
        .put("net.ipv4.tcp_abort_on_overflow", "1")
        .put("net.ipv4.tcp_syncookies", "0");
    strings(linux.putArray("maskedPaths"), MASKED);
    strings(linux.putArray("readonlyPaths"), READONLY);
    return root;
  }

  private static void mounts(
      ArrayNode mounts,
      Path bundle,
      List<String> readOnlyFiles,
      Map<String, Path> readOnlyDirectories) {
    mount(mounts, "/proc", "proc", "proc");
    mount(mounts, "/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k");
    mount(
        mounts,
        "/dev/pts",
        "devpts",
        "devpts",
        "nosuid",
        "noexec",
        "newinstance",
        "ptmxmode=0666",
        "mode=0620",
        "gid=5");
    mount(
        mounts,
        "/dev/shm",
        "tmpfs",
        "shm",
        "nosuid",
        "noexec",
        "nodev",
        "mode=1777",
        "size=65536k");
    mount(mounts, "/dev/mqueue", "mqueue", "mqueue", "nosuid", "noexec", "nodev");
    mount(mounts, "/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", "ro");
    // Lets runtimes in the container (the JVM, Go) see their memory and CPU limits.
    mount(
        mounts,
        "/sys/fs/cgroup",
        "cgroup",
        "cgroup",
        "nosuid",
        "noexec",
        "nodev",
        "relatime",
        "ro");
    mount(mounts, "/etc/hosts", "bind", bundle.resolve("hosts").toString(), "rbind", "rprivate");
    mount(
        mounts,
        "/etc/resolv.conf",
        "bind",
        bundle.resolve("resolv.conf").toString(),
        "rbind",
        "rprivate");
    // The host's files for the replica (Berth's CA where registry clients look for it): runc
    // creates the destination and its folders in the replica's upper dir, never in the image.
    for (int i = 0; i < readOnlyFiles.size(); i++) {
      mount(
          mounts,
          readOnlyFiles.get(i),
          "bind",
          bundle.resolve(RootFs.FILES).resolve(Integer.toString(i)).toString(),
          "bind",
          "ro",
          "nosuid",
          "nodev",
          "noexec",
          "rprivate");
    }
    // The host's directories (the registries' CAs, one folder each): bound, not copied, so that
    // what the host adds later shows in the running replica.
    readOnlyDirectories.forEach(
        (destination, source) -> bind(mounts, new Bind(destination, source, true)));
  }

  /** A host folder or file bound in: read-only ones also {@code noexec}. */
  private static void bind(ArrayNode mounts, Bind b) {
    List<String> options = new ArrayList<>(List.of("rbind", "rprivate", "nosuid", "nodev"));
    if (b.readOnly()) {
      options.addAll(List.of("ro", "noexec"));
    }
    mount(mounts, b.destination(), "bind", b.source().toString(), options.toArray(String[]::new));
  }

  private static void mount(
      ArrayNode mounts, String destination, String type, String source, String... options) {
    ObjectNode mount = mounts.addObject();
    mount.put("destination", destination).put("type", type).put("source", source);
    if (options.length > 0) {
      strings(mount.putArray("options"), List.of(options));
    }
  }

  private static void rlimit(ArrayNode rlimits, String type, long value) {
    rlimits.addObject().put("type", type).put("hard", value).put("soft", value);
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }

  public static String toJson(ObjectNode spec) {
    return spec.toPrettyString();
  }

  /** The annotation that names the env entries taken out of a running replica's config. */
  static final String REMOVED_ENV = "dev.berth.secret-env-removed";

  /**
   * Takes the {@code names} env entries (secrets) out of the {@code config.json} a container was
   * started from: runc read it at start and never again (state, kill and delete read runc's own
   * state; {@code runc exec} reads the rest of the process from it, so the other entries stay). An
   * annotation lists the names taken out. Nothing to do when {@code names} is empty or the file is
   * gone (a start that failed and was cleaned up).
   */
  public static void removeSecretEnv(Path config, Set<String> names) throws IOException {
    if (names.isEmpty() || !Files.exists(config)) {
      return;
    }
    ObjectNode spec = (ObjectNode) JSON.readTree(config.toFile());
    ObjectNode process = (ObjectNode) spec.path("process");
    ArrayNode kept = JSON.createArrayNode();
    for (var entry : process.withArray("env")) {
      String text = entry.asText();
      int eq = text.indexOf('=');
      if (!names.contains(eq < 0 ? text : text.substring(0, eq))) {
        kept.add(text);
      }
    }
    process.set("env", kept);
    spec.withObject("annotations").put(REMOVED_ENV, String.join(",", new TreeSet<>(names)));
    PrivateFiles.writeString(config, toJson(spec));
  }
}
