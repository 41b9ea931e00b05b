package dev.berth.runtime.runc.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.api.files.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Hands out replica addresses from the subnet, lowest free first, and keeps the assignments in a
 * JSON file so that a restarted runtime never gives an address out twice. Thread-safe.
 */
public final class AddressPool {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Subnet subnet;
  private final Path file;
  private final Map<String, String> byReplica;

  private AddressPool(Subnet subnet, Path file, Map<String, String> byReplica) {
    this.subnet = subnet;
    this.file = file;
    this.byReplica = byReplica;
  }

  /** Loads the assignments in {@code file} (none when it does not exist). */
  public static AddressPool load(Subnet subnet, Path file) throws IOException {
    Map<String, String> assigned = new TreeMap<>();
    if (Files.exists(file)) {
      assigned.putAll(JSON.readValue(file.toFile(), new TypeReference<Map<String, String>>() {}));
    }
    return new AddressPool(subnet, file, assigned);
  }

  /** The replica's address: the one it already has, or the lowest free one. */
  public synchronized int allocate(String replica) throws IOException {
    String existing = byReplica.get(replica);
    if (existing != null) {
      return Subnet.toInt(existing);
    }
    Set<String> taken = Set.copyOf(byReplica.values());
    for (int address = subnet.firstHost(); address <= subnet.lastHost(); address++) {
      if (!taken.contains(Subnet.format(address))) {
        byReplica.put(replica, Subnet.format(address));
        save();
        return address;
      }
    }
    throw new IOException(
        "network " + subnet + " has no free address left (" + byReplica.size() + " in use)");
  }

  public synchronized void release(String replica) throws IOException {
    if (byReplica.remove(replica) != null) {
      save();
    }
  }

  /** Releases every assignment whose replica is not in {@code keep}. */
  public synchronized void retainOnly(Set<String> keep) throws IOException {
    if (byReplica.keySet().retainAll(keep)) {
      save();
    }
  }

  private void save() throws IOException {
    PrivateFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(byReplica));
  }
}
