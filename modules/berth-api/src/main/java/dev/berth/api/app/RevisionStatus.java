package dev.berth.api.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * What a revision's status can be, in Container Apps' words ({@code provisioningState}, {@code
 * runningState}, {@code healthState} of {@code Microsoft.App/containerApps/revisions}): the control
 * plane writes {@link #PROVISIONING} when it makes a revision, the reconciler every other status,
 * and the control plane's long-running operation and app view read them back through {@link
 * Revision}. Immutable.
 *
 * @see <a
 *     href="https://learn.microsoft.com/rest/api/containerapps/container-apps-revisions">Container
 *     Apps Revisions REST API</a>
 */
public enum RevisionStatus {

  /** Made and not running yet: replicas are being pulled, started or probed. */
  PROVISIONING(ProvisioningState.Provisioning, RunningState.Processing, HealthState.None),

  /** Every wanted replica is ready. */
  RUNNING(ProvisioningState.Provisioned, RunningState.Running, HealthState.Healthy),

  /** Inactive: it keeps no replica. */
  STOPPED(ProvisioningState.Provisioned, RunningState.Stopped, HealthState.None),

  /** Cannot run as it is (its image does not pull, its template is not supported). */
  FAILED(ProvisioningState.Failed, RunningState.Failed, HealthState.Unhealthy),

  /** Its containers keep stopping before they were ever ready. */
  CRASH_LOOPING(ProvisioningState.Failed, RunningState.Degraded, HealthState.Unhealthy),

  /** It ran, and its containers now keep stopping. */
  DEGRADED(ProvisioningState.Provisioned, RunningState.Degraded, HealthState.Unhealthy);

  /** {@code properties.provisioningState}: whether the revision could be set up. */
  public enum ProvisioningState {
    Provisioning,
    Provisioned,
    Failed,
    Deprovisioning,
    Deprovisioned
  }

  /** {@code properties.runningState}: how its replicas run. */
  public enum RunningState {
    Running,
    Processing,
    Stopped,
    Degraded,
    Failed,
    Unknown
  }

  /** {@code properties.healthState}. */
  public enum HealthState {
    Healthy,
    Unhealthy,
    None
  }

  private final ProvisioningState provisioning;
  private final RunningState running;
  private final HealthState health;

  RevisionStatus(ProvisioningState provisioning, RunningState running, HealthState health) {
    this.provisioning = provisioning;
    this.running = running;
    this.health = health;
  }

  public ProvisioningState provisioningState() {
    return provisioning;
  }

  public RunningState runningState() {
    return running;
  }

  public HealthState healthState() {
    return health;
  }

  /** Writes the three states into a revision's {@code properties}, and no error. */
  public void writeTo(ObjectNode properties) {
    writeTo(properties, Optional.empty());
  }

  /**
   * Writes the three states into a revision's {@code properties}, with {@code provisioningError}
   * when {@code error} holds one (and without it otherwise).
   */
  public void writeTo(ObjectNode properties, Optional<String> error) {
    properties.put("provisioningState", provisioning.name());
    properties.put("runningState", running.name());
    properties.put("healthState", health.name());
    error.ifPresentOrElse(
        e -> properties.put("provisioningError", e), () -> properties.remove("provisioningError"));
  }
}
