package dev.berth.runtime;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A volume of a replica's container, and where the container sees it. It lives as long as the
 * replica: made when the replica starts, gone when it is removed.
 *
 * @param name the template's name for it (for messages; the runtime names its folders by position)
 * @param kind {@link Kind#EMPTY_DIR}: an empty folder the container writes; {@link Kind#SECRET}:
 *     {@code files}, kept in memory only (never on disk) and read-only in the container
 * @param files a secret volume's files, file name → content; empty for an empty folder
 * @param mounts where it is mounted: the whole volume, or a {@code subPath} inside it
 */
public record ReplicaVolume(String name, Kind kind, Map<String, String> files, List<Mount> mounts) {

  public enum Kind {
    EMPTY_DIR,
    SECRET
  }

  /**
   * @param destination an absolute path in the container
   * @param subPath a relative path inside the volume; empty for the whole volume
   */
  public record Mount(String destination, String subPath) {
    public Mount {
      Objects.requireNonNull(destination, "destination");
      Objects.requireNonNull(subPath, "subPath");
    }
  }

  public ReplicaVolume {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
    mounts = List.copyOf(mounts);
    if (kind == Kind.EMPTY_DIR && !files.isEmpty()) {
      throw new IllegalArgumentException("an empty folder holds no files");
    }
  }

  /** A secret volume: {@code files} read-only in the container, kept in memory. */
  public static ReplicaVolume secret(String name, Map<String, String> files, List<Mount> mounts) {
    return new ReplicaVolume(name, Kind.SECRET, files, mounts);
  }

  /** An empty folder the container writes, for the replica's life. */
  public static ReplicaVolume emptyDir(String name, List<Mount> mounts) {
    return new ReplicaVolume(name, Kind.EMPTY_DIR, Map.of(), mounts);
  }

  /** Without the secret files' contents: a record that is logged or printed shows no secret. */
  @Override
  public String toString() {
    return "ReplicaVolume["
        + name
        + ", "
        + kind
        + ", files="
        + files.keySet()
        + ", "
        + mounts
        + "]";
  }
}
