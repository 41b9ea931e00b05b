package dev.berth.controlplane.providers.app;

import dev.berth.api.ResourceId;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;

/**
 * Where {@code containerapp logs show} reads from: a replica's console output, or the app's system
 * events. The ARM layer authorizes the call (the container app type's log-stream route); the
 * implementation (the server, over the reconciler's log files) writes the lines. Implementations
 * must be thread-safe.
 */
public interface LogStreams {

  /** No logs anywhere: every stream is unknown. */
  LogStreams NONE = request -> Optional.empty();

  /** One log request. {@code system} = the app's system events instead of console output. */
  record Request(
      ResourceId app, String revision, String replica, boolean system, int tail, boolean follow) {}

  /**
   * @return a writer of the log, one entry per line (following it while the client stays when
   *     {@code follow}), or empty when there is no such log
   */
  Optional<Writer> open(Request request) throws IOException;

  /**
   * The system events of {@code apps} (an app's event stream, or every app of an environment),
   * merged in order of time: the last {@code tail} of them, then (with {@code follow}) the new ones
   * while the client stays. Apps with no events yet contribute none; the default has none at all.
   */
  default Writer events(List<ResourceId> apps, int tail, boolean follow) {
    return out -> {};
  }

  /** Writes the log to the response body. */
  @FunctionalInterface
  interface Writer {
    void writeTo(OutputStream out) throws IOException;
  }
}
