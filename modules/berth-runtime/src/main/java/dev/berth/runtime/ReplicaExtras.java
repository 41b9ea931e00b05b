package dev.berth.runtime;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What the host adds to every replica besides its image: names for the replica's {@code /etc/hosts}
 * (host services on the bridge, such as the registries' login servers), small public files mounted
 * read-only, and public host directories mounted read-only, whose later changes the replica sees
 * (certificates). The runtime knows nothing of what they are for; the server supplies them
 * (docs/runtime-runc.md, "What a replica gets"). Immutable.
 *
 * @param hosts lines added to the replica's {@code /etc/hosts}, after its own
 * @param files files the replica sees read-only at their destinations
 * @param directories host directories the replica sees read-only at their destinations, as they are
 *     at any time
 */
public record ReplicaExtras(
    List<HostEntry> hosts, List<ReadOnlyFile> files, List<ReadOnlyDirectory> directories) {

  /** Nothing added: a replica gets its image and its own names only. */
  public static final ReplicaExtras NONE = new ReplicaExtras(List.of(), List.of(), List.of());

  /** Host names and IPv4 or IPv6 literals: nothing that could break a hosts file's line. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,252})");

  private static final Pattern ADDRESS = Pattern.compile("[0-9A-Fa-f.:]{2,45}");

  /** Absolute, no {@code ..} or empty segments, no whitespace or control characters. */
  private static final Pattern DESTINATION = Pattern.compile("(/[A-Za-z0-9_.:@+-]+)+");

  public ReplicaExtras {
    hosts = List.copyOf(hosts);
    files = List.copyOf(files);
    directories = List.copyOf(directories);
  }

  /** Names and files, no directories. */
  public ReplicaExtras(List<HostEntry> hosts, List<ReadOnlyFile> files) {
    this(hosts, files, List.of());
  }

  /** These extras with {@code more} lines after their own. */
  public ReplicaExtras withHosts(List<HostEntry> more) {
    List<HostEntry> all = new java.util.ArrayList<>(hosts);
    all.addAll(more);
    return new ReplicaExtras(all, files, directories);
  }

  /** One {@code /etc/hosts} line: {@code name} resolves to {@code address}. */
  public record HostEntry(String address, String name) {
    public HostEntry {
      if (!ADDRESS.matcher(address).matches()) {
        throw new IllegalArgumentException("not an IP address: " + address);
      }
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("not a host name: " + name);
      }
    }
  }

  /**
   * A host directory the replica reads at {@code destination} and cannot change, as it is at any
   * moment: what the host adds to it later the running replica sees. It and what it holds must be
   * readable by every user of the container, so public.
   */
  public record ReadOnlyDirectory(String destination, java.nio.file.Path source) {
    public ReadOnlyDirectory {
      plainAbsolute(destination);
      if (!source.isAbsolute()) {
        throw new IllegalArgumentException("not an absolute path: " + source);
      }
    }
  }

  /** {@code destination} when it is absolute, with no {@code ..}, {@code .} or odd characters. */
  private static void plainAbsolute(String destination) {
    if (!DESTINATION.matcher(destination).matches()
        || destination.contains("/../")
        || destination.endsWith("/..")
        || destination.contains("/./")
        || destination.endsWith("/.")) {
      throw new IllegalArgumentException("not a plain absolute path: " + destination);
    }
  }

  /**
   * A file the replica reads at {@code destination} and cannot change; the runtime keeps its own
   * copy of {@code content}, readable by every user of the container, so it must be public.
   */
  public record ReadOnlyFile(String destination, byte[] content) {
    public ReadOnlyFile {
      plainAbsolute(destination);
      content = content.clone();
    }

    @Override
    public byte[] content() {
      return content.clone();
    }
  }
}
