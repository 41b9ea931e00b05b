package dev.berth.controlplane.providers.app.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ArmErrorCode;
import dev.berth.api.ArmException;
import dev.berth.api.ResourceId;
import dev.berth.controlplane.providers.operationalinsights.Workspaces;
import dev.berth.store.ResourceStore;
import java.util.Optional;

/**
 * An environment's {@code appLogsConfiguration.logAnalyticsConfiguration}: the {@code customerId}
 * must name a Log Analytics workspace of the environment's subscription and the {@code sharedKey}
 * must be one of its keys (as {@code az containerapp env create} sends them after making the
 * workspace); the key is then dropped, never stored — the logs stay in Berth, so nothing ever needs
 * it. A later write may leave the key out while the {@code customerId} stays the same (az echoes a
 * GET, which has no key). Thread-safe.
 */
public final class AppLogsConfiguration {

  private static final String AT = "properties.appLogsConfiguration.logAnalyticsConfiguration";

  private final Workspaces workspaces;

  public AppLogsConfiguration(Workspaces workspaces) {
    this.workspaces = workspaces;
  }

  /** Checks the configuration in {@code props} and removes its shared key. */
  public void apply(
      ResourceStore tx, ResourceId env, ObjectNode props, Optional<ObjectNode> current) {
    if (!(props.get("appLogsConfiguration") instanceof ObjectNode logs)
        || !(logs.get("logAnalyticsConfiguration") instanceof ObjectNode la)) {
      return;
    }
    String customerId = la.path("customerId").asText("").strip();
    String sharedKey = la.path("sharedKey").asText("");
    la.remove("sharedKey");
    if (customerId.isEmpty()) {
      if (!sharedKey.isEmpty()) {
        throw ArmException.of(
                ArmErrorCode.InvalidParameter,
                "logAnalyticsConfiguration has a sharedKey but no customerId: give the customerId"
                    + " of the Log Analytics workspace the key belongs to.")
            .withTarget(AT + ".customerId");
      }
      return;
    }
    ResourceId workspace =
        workspaces
            .byCustomerId(tx, env.subscription().orElseThrow(), customerId)
            .orElseThrow(
                () ->
                    ArmException.of(
                            ArmErrorCode.InvalidParameter,
                            "No Log Analytics workspace of subscription '"
                                + env.subscriptionId().orElseThrow()
                                + "' has customerId '"
                                + customerId
                                + "'. Create one (PUT"
                                + " …/providers/Microsoft.OperationalInsights/workspaces/{name})"
                                + " and give its customerId and shared key.")
                        .withTarget(AT + ".customerId"));
    if (sharedKey.isEmpty()) {
      boolean unchanged =
          current
              .map(
                  c ->
                      c.at("/properties/appLogsConfiguration/logAnalyticsConfiguration/customerId")
                          .asText("")
                          .equalsIgnoreCase(customerId))
              .orElse(false);
      if (!unchanged) {
        throw ArmException.of(
                ArmErrorCode.InvalidParameter,
                "logAnalyticsConfiguration needs the sharedKey of workspace '"
                    + workspace.name()
                    + "' (POST …/sharedKeys).")
            .withTarget(AT + ".sharedKey");
      }
      return;
    }
    if (!workspaces.isSharedKey(tx, workspace, sharedKey)) {
      // The message names the workspace, never the key.
      throw ArmException.of(
              ArmErrorCode.InvalidParameter,
              "The sharedKey is not a shared key of Log Analytics workspace '"
                  + workspace.name()
                  + "' (customerId '"
                  + customerId
                  + "').")
          .withTarget(AT + ".sharedKey");
    }
  }
}
