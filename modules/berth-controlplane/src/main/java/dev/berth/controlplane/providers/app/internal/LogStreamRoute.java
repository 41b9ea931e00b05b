package dev.berth.controlplane.providers.app.internal;

import dev.berth.api.ArmErrorCode;
import dev.berth.api.ArmException;
import dev.berth.controlplane.ProviderRoute;
import dev.berth.controlplane.providers.app.LogStreams;

/**
 * {@code GET …/containerApps/{app}/revisions/{revision}/replicas/{replica}/containers/{c}/logstream
 * ?follow=&tailLines=&type=console|system}: the lines of a replica's log as {@code text/plain},
 * kept open while {@code follow=true}. ACA guards its log streams (console and system) with the
 * getAuthToken action, which Reader does not hold. Thread-safe when its {@link LogStreams} is.
 */
public final class LogStreamRoute {

  /** What reading a replica's console or system log takes, as in ACA. */
  public static final String ACTION = "Microsoft.App/containerApps/getAuthToken/action";

  private LogStreamRoute() {}

  /** The route, to declare on the container app type. */
  public static ProviderRoute of(LogStreams logs) {
    return new ProviderRoute(
        "logstream",
        "GET",
        "revisions/{revision}/replicas/{replica}/containers/{container}/logstream",
        ACTION,
        request -> stream(logs, request));
  }

  /**
   * {@code GET …/containerApps/{app}/eventstream?follow=&tailLines=}: the app's system events,
   * which exist whether or not a replica does (a revision whose image does not pull has none). An
   * app with no events yet answers no lines.
   */
  public static ProviderRoute events(LogStreams logs) {
    return new ProviderRoute(
        "eventstream", "GET", "eventstream", ACTION, request -> events(logs, request));
  }

  private static void events(LogStreams logs, ProviderRoute.Request request) throws Exception {
    int tail = parseTail(request.query("tailLines").orElse("20"));
    boolean follow = Boolean.parseBoolean(request.query("follow").orElse("false"));
    var writer = logs.open(new LogStreams.Request(request.resource(), "", "", true, tail, follow));
    request.exchange().stream(
        200,
        "text/plain; charset=utf-8",
        -1,
        out -> {
          if (writer.isPresent()) {
            writer.get().writeTo(out);
          }
        });
  }

  private static void stream(LogStreams logs, ProviderRoute.Request request) throws Exception {
    int tail = parseTail(request.query("tailLines").orElse("20"));
    boolean follow = Boolean.parseBoolean(request.query("follow").orElse("false"));
    String type = request.query("type").orElse("console");
    if (!type.equalsIgnoreCase("console") && !type.equalsIgnoreCase("system")) {
      throw ArmException.of(
          ArmErrorCode.InvalidParameter, "type must be console or system, not '" + type + "'.");
    }
    String revision = request.var("revision");
    String replica = request.var("replica");
    var writer =
        logs.open(
                new LogStreams.Request(
                    request.resource(),
                    revision,
                    replica,
                    type.equalsIgnoreCase("system"),
                    tail,
                    follow))
            .orElseThrow(
                () ->
                    ArmException.of(
                        ArmErrorCode.ResourceNotFound,
                        "No logs for replica '" + replica + "' of revision '" + revision + "'."));
    request.exchange().stream(200, "text/plain; charset=utf-8", -1, writer::writeTo);
  }

  private static int parseTail(String text) {
    try {
      int tail = Integer.parseInt(text.strip());
      if (tail >= 0 && tail <= 10_000) {
        return tail;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ArmException.of(
        ArmErrorCode.InvalidParameter, "tailLines must be a number from 0 to 10000.");
  }
}
