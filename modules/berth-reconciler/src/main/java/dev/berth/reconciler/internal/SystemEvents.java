package dev.berth.reconciler.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A container app's system log: one JSON object a line, in the shape of Container Apps' {@code
 * ContainerAppSystemLogs} ({@code TimeStamp, Type, ContainerAppName, RevisionName, ReplicaName,
 * Msg, Reason, EventSource, Count}), appended to {@code <logs>/<app>/system.log}, where {@code
 * containerapp logs show --type system} reads it.
 */
public final class SystemEvents {

  private static final Logger log = LoggerFactory.getLogger(SystemEvents.class);
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss '+0000 UTC'").withZone(ZoneOffset.UTC);

  private final Path logs;
  private final Clock clock;

  public SystemEvents(Path logs, Clock clock) {
    this.logs = logs;
    this.clock = clock;
  }

  /** Where an app's logs live. */
  public Path appDirectory(String app) {
    return logs.resolve(app);
  }

  public void normal(String app, String revision, String replica, String reason, String message) {
    write("Normal", app, revision, replica, reason, message);
  }

  public void warning(String app, String revision, String replica, String reason, String message) {
    write("Warning", app, revision, replica, reason, message);
  }

  private synchronized void write(
      String type, String app, String revision, String replica, String reason, String message) {
    ObjectNode event = Documents.JSON.createObjectNode();
    event.put("TimeStamp", STAMP.format(clock.instant()));
    event.put("Type", type);
    event.put("ContainerAppName", app);
    event.put("RevisionName", revision);
    event.put("ReplicaName", replica == null ? "" : replica);
    event.put("Msg", message);
    event.put("Reason", reason);
    event.put("EventSource", "ContainerAppController");
    event.put("Count", 1);
    try {
      Path dir = Files.createDirectories(appDirectory(app));
      Files.writeString(
          dir.resolve("system.log"),
          event + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      log.warn("cannot write system event for {}: {}", app, message, new UncheckedIOException(e));
    }
  }
}
