package dev.berth.reconciler.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ResourceId;
import dev.berth.api.files.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A container app's system log: one JSON object a line, in the shape of Container Apps' {@code
 * ContainerAppSystemLogs} ({@code TimeStamp, Type, ContainerAppName, RevisionName, ReplicaName,
 * Msg, Reason, EventSource, Count}), appended to {@code <app directory>/system.log}, where {@code
 * containerapp logs show --type system} reads it. An app's directory is {@code
 * <logs>/<subscription>/<resource group>/<app>} (lower case), so apps of one name in two groups
 * keep apart.
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
  public static Path appDirectory(Path logs, ResourceId app) {
    return logs.resolve(app.subscriptionId().orElse("-").toLowerCase(Locale.ROOT))
        .resolve(app.resourceGroupName().orElse("-").toLowerCase(Locale.ROOT))
        .resolve(app.name().toLowerCase(Locale.ROOT));
  }

  public Path appDirectory(ResourceId app) {
    return appDirectory(logs, app);
  }

  public void normal(
      ResourceId app, String revision, String replica, String reason, String message) {
    write("Normal", app, revision, replica, reason, message);
  }

  public void warning(
      ResourceId app, String revision, String replica, String reason, String message) {
    write("Warning", app, revision, replica, reason, message, Optional.empty());
  }

  /**
   * A warning with what caused it, for machines ({@code Cause}: the pull diagnosis' cause code when
   * it has one, else the registry's refusal such as {@code UNAUTHORIZED}); a field Container Apps'
   * system log does not have, so clients that read ACA's fields are not disturbed.
   */
  public void warning(
      ResourceId app,
      String revision,
      String replica,
      String reason,
      String message,
      Optional<String> cause) {
    write("Warning", app, revision, replica, reason, message, cause);
  }

  private void write(
      String type, ResourceId app, String revision, String replica, String reason, String message) {
    write(type, app, revision, replica, reason, message, Optional.empty());
  }

  private synchronized void write(
      String type,
      ResourceId app,
      String revision,
      String replica,
      String reason,
      String message,
      Optional<String> cause) {
    ObjectNode event = ObservedStateWrites.JSON.createObjectNode();
    event.put("TimeStamp", STAMP.format(clock.instant()));
    event.put("Type", type);
    event.put("ContainerAppName", app.name());
    event.put("RevisionName", revision);
    event.put("ReplicaName", replica == null ? "" : replica);
    event.put("Msg", message);
    event.put("Reason", reason);
    event.put("EventSource", "ContainerAppController");
    event.put("Count", 1);
    cause.ifPresent(c -> event.put("Cause", c));
    try {
      Path dir = PrivateFiles.createDirectories(appDirectory(app));
      try (var out =
          PrivateFiles.open(
              dir.resolve("system.log"), StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
        out.write(ByteBuffer.wrap((event + "\n").getBytes(StandardCharsets.UTF_8)));
      }
    } catch (IOException e) {
      log.warn("cannot write system event for {}: {}", app, message, new UncheckedIOException(e));
    }
  }
}
