package dev.berth.reconciler;

import dev.berth.api.ResourceId;
import dev.berth.reconciler.internal.SystemEvents;
import java.nio.file.Path;

/**
 * Where the reconciler writes logs, for whoever serves them: {@code
 * <logs>/<subscription>/<group>/<app>/system.log} and {@code …/<app>/<revision>/<replica>.log}.
 */
public record LogFiles(Path root) {

  public Path system(ResourceId app) {
    return SystemEvents.appDirectory(root, app).resolve("system.log");
  }

  /** A replica's console output; names are checked so a request cannot leave the directory. */
  public Path console(ResourceId app, String revision, String replica) {
    if (!revision.matches("[a-z0-9-]{1,100}") || !replica.matches("[a-z0-9-]{1,100}")) {
      return SystemEvents.appDirectory(root, app).resolve("-none-");
    }
    return SystemEvents.appDirectory(root, app).resolve(revision).resolve(replica + ".log");
  }
}
