package dev.berth.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The lines one Berth owns in the machine's hosts file: {@code 127.0.0.1 <name> # berth <data
 * dir>}, one per registry login server name, so that skopeo, podman, az and Berth's own puller
 * resolve {@code <registry>.azurecr.io.localhost} with no DNS set-up (docs/registry.md, "Login
 * servers that need no DNS"). Each edit holds an exclusive lock on the file (other Berths edit it
 * too) and rewrites it in place (a container's {@code /etc/hosts} is a bind mount, which a rename
 * cannot replace); lines of other owners are kept as they are. Thread-safe.
 */
final class HostsFile {

  /** Marks Berth's lines; the data directory after it says whose they are. */
  static final String MARK = "# berth ";

  private final Path file;
  private final String owner;

  HostsFile(Path file, Path dataDir) {
    this.file = file;
    this.owner = dataDir.toAbsolutePath().normalize().toString();
  }

  /**
   * The system's hosts file, {@code $BERTH_HOSTS_FILE} or {@code /etc/hosts}, if this process may
   * write it ({@code none} turns names off: registries then get {@code localhost:<port>}).
   */
  static Optional<HostsFile> system(Path dataDir) {
    String configured = System.getenv().getOrDefault("BERTH_HOSTS_FILE", "/etc/hosts");
    if (configured.isBlank() || configured.equals("none")) {
      return Optional.empty();
    }
    Path file = Path.of(configured);
    return Files.isRegularFile(file) && Files.isWritable(file)
        ? Optional.of(new HostsFile(file, dataDir))
        : Optional.empty();
  }

  Path file() {
    return file;
  }

  /** Makes {@code host} resolve to 127.0.0.1 (once: a second add changes nothing). */
  synchronized void add(String host) {
    String line = line(host);
    edit(
        lines -> {
          if (!lines.contains(line)) {
            lines.add(line);
          }
          return lines;
        });
  }

  /** Removes this Berth's line for {@code host}; other Berths' lines for it stay. */
  synchronized void remove(String host) {
    String line = line(host);
    edit(
        lines -> {
          lines.remove(line);
          return lines;
        });
  }

  /**
   * Removes every line of this Berth, and the lines of Berths whose data directory is gone (a
   * crashed test's); called at start, before the registries' names are added again.
   */
  synchronized void removeStale() {
    edit(
        lines -> {
          lines.removeIf(
              l -> {
                int at = l.indexOf(MARK);
                if (at < 0) {
                  return false;
                }
                String who = l.substring(at + MARK.length()).strip();
                return who.equals(owner) || !Files.isDirectory(Path.of(who));
              });
          return lines;
        });
  }

  private String line(String host) {
    return "127.0.0.1 " + host.toLowerCase(Locale.ROOT) + " " + MARK + owner;
  }

  private void edit(UnaryOperator<List<String>> change) {
    try (FileChannel ch =
            FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock = ch.lock()) {
      ByteBuffer buf = ByteBuffer.allocate((int) ch.size());
      while (buf.hasRemaining() && ch.read(buf) >= 0) {
        // read it all
      }
      String before = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
      List<String> lines = new ArrayList<>(before.lines().toList());
      String after = String.join("\n", change.apply(lines)) + "\n";
      if (after.equals(before)) {
        return;
      }
      byte[] bytes = after.getBytes(StandardCharsets.UTF_8);
      // Berth's lines are last, so the lines before them (localhost's) are rewritten with the
      // same bytes: a resolver reading meanwhile never misses them. Shrinking comes after.
      ch.write(ByteBuffer.wrap(bytes), 0);
      ch.truncate(bytes.length);
      ch.force(false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot edit " + file, e);
    }
  }
}
