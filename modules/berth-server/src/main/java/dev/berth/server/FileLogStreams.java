package dev.berth.server;

import dev.berth.api.ResourceId;
import dev.berth.controlplane.providers.app.LogStreams;
import dev.berth.reconciler.LogFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * {@code containerapp logs show} over the reconciler's log files: the last {@code tail} lines, then
 * (with {@code follow}) what is appended, polled every 250 ms, for at most an hour per request.
 */
final class FileLogStreams implements LogStreams {

  private static final Duration POLL = Duration.ofMillis(250);
  private static final Duration MAX_FOLLOW = Duration.ofHours(1);

  private final LogFiles files;

  FileLogStreams(LogFiles files) {
    this.files = files;
  }

  /** The apps' {@code system.log} files, merged in order of time (az's event streams). */
  @Override
  public Writer events(List<ResourceId> apps, int tail, boolean follow) {
    List<Path> logs = apps.stream().map(files::system).toList();
    return out -> new EventFiles(logs, POLL, MAX_FOLLOW).write(out, tail, follow);
  }

  @Override
  public Optional<Writer> open(Request r) throws IOException {
    Path file =
        r.system() ? files.system(r.app()) : files.console(r.app(), r.revision(), r.replica());
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    return Optional.of(out -> write(file, r, out));
  }

  private static void write(Path file, Request r, OutputStream out) throws IOException {
    long position;
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      position = raf.length();
    }
    for (String line : lastLines(file, r.tail())) {
      out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    }
    out.flush();
    if (!r.follow()) {
      return;
    }
    long until = System.nanoTime() + MAX_FOLLOW.toNanos();
    while (System.nanoTime() < until) {
      try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
        if (raf.length() > position) {
          raf.seek(position);
          byte[] more = new byte[(int) Math.min(raf.length() - position, 1 << 20)];
          raf.readFully(more);
          position += more.length;
          out.write(more);
          out.flush();
        }
      }
      try {
        Thread.sleep(POLL);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static List<String> lastLines(Path file, int tail) throws IOException {
    Deque<String> last = new ArrayDeque<>();
    try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
      lines.forEach(
          line -> {
            last.addLast(line);
            if (last.size() > tail) {
              last.removeFirst();
            }
          });
    }
    return List.copyOf(last);
  }
}
