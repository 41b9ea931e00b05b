package dev.berth.runtime.runc.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The last lines of a replica's log, where runc writes why a container could not start. */
public final class LogTail {

  private static final int LINES = 5;

  private LogTail() {}

  public static String of(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      String tail =
          String.join(" | ", lines.subList(Math.max(0, lines.size() - LINES), lines.size()));
      return tail.isBlank() ? "no output (see " + log + ")" : tail.strip();
    } catch (IOException e) {
      return "no log at " + log;
    }
  }
}
