package dev.berth.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.files.PrivateFiles;
import dev.berth.http.Json;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * One Berth per data directory: {@code berth.lock}, held with an OS file lock for as long as the
 * server runs and holding its PID and URL, so that a second start on the same directory stops
 * before it changes anything and says which Berth holds it. The OS drops the lock when the process
 * ends, {@code kill -9} included. The file stays (deleting it would let two starts lock two
 * different files); it is emptied on a clean stop. Not thread-safe; one per server.
 */
final class DataDirLock implements AutoCloseable {

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;

  private DataDirLock(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock of {@code dir}, creating the directory if need be, and writes this process's PID
   * into it.
   *
   * @throws IllegalStateException naming the PID and URL of the Berth that holds it
   */
  static DataDirLock acquire(DataDir dir) throws IOException {
    PrivateFiles.createDirectories(dir.root());
    Path file = dir.lockFile();
    FileChannel channel =
        FileChannel.open(
            file,
            Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      // This JVM holds it already (a second server in one process, as tests may start).
      lock = null;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      String holder = holder(channel);
      channel.close();
      throw new IllegalStateException(
          dir.root()
              + " is in use by another Berth ("
              + holder
              + "): stop it first, or start with another --data-dir");
    }
    DataDirLock held = new DataDirLock(file, channel, lock);
    held.write(Optional.empty());
    return held;
  }

  /** Records where this server answers, once its port is known. */
  void publish(URI url) throws IOException {
    write(Optional.of(url));
  }

  private void write(Optional<URI> url) throws IOException {
    ObjectNode n = Json.object();
    n.put("pid", ProcessHandle.current().pid());
    url.ifPresent(u -> n.put("url", u.toString()));
    byte[] bytes = (n + "\n").getBytes(StandardCharsets.UTF_8);
    channel.truncate(0);
    channel.write(ByteBuffer.wrap(bytes), 0);
    channel.force(false);
  }

  /** "PID 1234, https://127.0.0.1:8443/", from what the holder wrote. */
  private static String holder(FileChannel channel) {
    try {
      ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(channel.size(), 4096));
      channel.read(buffer, 0);
      JsonNode n =
          Json.MAPPER.readTree(
              new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8));
      String pid = n.path("pid").asText("");
      String url = n.path("url").asText("");
      return "PID "
          + (pid.isEmpty() ? "unknown" : pid)
          + ", "
          + (url.isEmpty() ? "still starting" : url);
    } catch (IOException | RuntimeException e) {
      return "its PID and URL unreadable: " + e.getMessage();
    }
  }

  @Override
  public void close() {
    try (channel) {
      channel.truncate(0);
      lock.release();
    } catch (IOException e) {
      // The OS releases the lock with the channel or the process anyway.
    }
  }

  Path file() {
    return file;
  }
}
