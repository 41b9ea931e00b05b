package dev.berth.controlplane.internal;

import dev.berth.api.ArmErrorCode;
import dev.berth.api.ArmException;
import dev.berth.api.ResourceId;
import dev.berth.controlplane.LogStreams;
import java.util.List;

/**
 * {@code GET …/containerApps/{app}/revisions/{revision}/replicas/{replica}/containers/{c}/logstream
 * ?follow=&tailLines=&type=console|system}: the lines of a replica's log as {@code text/plain},
 * kept open while {@code follow=true}.
 */
public final class LogStreamHandler {

  private final LogStreams logs;
  private final List<String> apiVersions;

  /**
   * @param apiVersions the Microsoft.App api-versions the route accepts
   */
  public LogStreamHandler(LogStreams logs, List<String> apiVersions) {
    this.logs = logs;
    this.apiVersions = List.copyOf(apiVersions);
  }

  public List<String> apiVersions() {
    return apiVersions;
  }

  public void stream(ArmCall call) throws Exception {
    ResourceId app =
        ResourceId.resourceGroup(call.var("subscriptionId"), call.var("resourceGroupName"))
            .provider("Microsoft.App", "containerApps", call.var("app"));
    int tail = parseTail(call.query("tailLines").orElse("20"));
    boolean follow = Boolean.parseBoolean(call.query("follow").orElse("false"));
    String type = call.query("type").orElse("console");
    if (!type.equalsIgnoreCase("console") && !type.equalsIgnoreCase("system")) {
      throw ArmException.of(
          ArmErrorCode.InvalidParameter, "type must be console or system, not '" + type + "'.");
    }
    var writer =
        logs.open(
                new LogStreams.Request(
                    app,
                    call.var("revision"),
                    call.var("replica"),
                    type.equalsIgnoreCase("system"),
                    tail,
                    follow))
            .orElseThrow(
                () ->
                    ArmException.of(
                        ArmErrorCode.ResourceNotFound,
                        "No logs for replica '"
                            + call.var("replica")
                            + "' of revision '"
                            + call.var("revision")
                            + "'."));
    call.exchange().stream(200, "text/plain; charset=utf-8", -1, writer::writeTo);
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
