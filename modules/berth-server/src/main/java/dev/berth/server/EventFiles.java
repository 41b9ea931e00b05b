package dev.berth.server;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;

/**
 * Several apps' system event logs read as one stream: the last {@code tail} events of all of them
 * in order of time, then (to follow) what any of them appends, polled. A file that does not exist
 * yet counts as empty and is read once it appears. Each event is one JSON line starting with its
 * {@code TimeStamp} ({@code yyyy-MM-dd HH:mm:ss +0000 UTC}, written by the reconciler's {@code
 * SystemEvents}), so lines sort by time as text. Not thread-safe (one per request).
 */
final class EventFiles {

  private final List<Path> files;
  private final Duration poll;
  private final Duration maxFollow;

  EventFiles(List<Path> files, Duration poll, Duration maxFollow) {
    this.files = List.copyOf(files);
    this.poll = poll;
    this.maxFollow = maxFollow;
  }

  void write(OutputStream out, int tail, boolean follow) throws IOException {
    long[] positions = new long[files.size()];
    List<String> history = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      Path file = files.get(i);
      if (!Files.isRegularFile(file)) {
        continue;
      }
      try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
        positions[i] = raf.length();
      }
      // Only the last tail lines of each file are kept while reading: a long log costs no memory.
      Deque<String> last = new ArrayDeque<>();
      try (var stream = Files.lines(file, StandardCharsets.UTF_8)) {
        stream.forEach(
            line -> {
              last.addLast(line);
              if (last.size() > tail) {
                last.removeFirst();
              }
            });
      }
      history.addAll(last);
    }
    // Stable: events of one app keep their order when their stamps tie.
    Collections.sort(history);
    for (String line : history.subList(Math.max(0, history.size() - tail), history.size())) {
      out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    }
    out.flush();
    if (!follow) {
      return;
    }
    long until = System.nanoTime() + maxFollow.toNanos();
    while (System.nanoTime() < until) {
      for (int i = 0; i < files.size(); i++) {
        positions[i] = copyNew(files.get(i), positions[i], out);
      }
      try {
        Thread.sleep(poll);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Writes whole lines appended since {@code position}; returns the new position. */
  private static long copyNew(Path file, long position, OutputStream out) throws IOException {
    if (!Files.isRegularFile(file)) {
      return position;
    }
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long length = raf.length();
      if (length <= position) {
        return position;
      }
      raf.seek(position);
      byte[] more = new byte[(int) Math.min(length - position, 1 << 20)];
      raf.readFully(more);
      int end = more.length;
      // Only complete lines: a line being written now is sent whole on the next poll.
      while (end > 0 && more[end - 1] != '\n') {
        end--;
      }
      if (end == 0) {
        return position;
      }
      out.write(more, 0, end);
      out.flush();
      return position + end;
    }
  }
}
