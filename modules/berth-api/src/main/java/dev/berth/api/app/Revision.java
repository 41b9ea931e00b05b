package dev.berth.api.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.ResourceId;
import dev.berth.api.app.RevisionStatus.HealthState;
import dev.berth.api.app.RevisionStatus.ProvisioningState;
import dev.berth.api.app.RevisionStatus.RunningState;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * A read-only view of a revision document ({@code Microsoft.App/containerApps/revisions}, shape in
 * docs/provider-app.md): its template, whether it is active, the restart Berth was asked for, and
 * the status the reconciler wrote in {@link RevisionStatus}'s words. Immutable when its node is not
 * changed.
 */
public record Revision(ResourceId id, JsonNode body) {

  public static Revision of(ResourceId id, JsonNode body) {
    return new Revision(id, body);
  }

  public String name() {
    return id.name();
  }

  public Template template() {
    return new Template(properties().path("template"));
  }

  /** Whether it takes part in the app (a revision is made active). */
  public boolean active() {
    return properties().path("active").asBoolean(true);
  }

  /** Bumped by {@code POST …/restart}: a new value asks for fresh replicas. */
  public long restartGeneration() {
    return body.path("berth").path("restartGeneration").asLong(0);
  }

  /** When the control plane made it; empty when the stamp is missing or not an instant. */
  public Optional<Instant> createdTime() {
    try {
      return Nodes.text(properties(), "createdTime").map(Instant::parse);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  public Optional<ProvisioningState> provisioningState() {
    return word(ProvisioningState.class, "provisioningState");
  }

  public Optional<RunningState> runningState() {
    return word(RunningState.class, "runningState");
  }

  public Optional<HealthState> healthState() {
    return word(HealthState.class, "healthState");
  }

  /** Why it failed, in Container Apps' words (and Berth's diagnosis after them). */
  public Optional<String> provisioningError() {
    return Nodes.text(properties(), "provisioningError");
  }

  /** {@code Provisioned} and {@code Running}: what a write waits for, and what serves. */
  public boolean isRunning() {
    return provisioningState().equals(Optional.of(ProvisioningState.Provisioned))
        && runningState().equals(Optional.of(RunningState.Running));
  }

  /** {@code provisioningState} {@code Failed}: a write waiting for it fails. */
  public boolean hasFailed() {
    return provisioningState().equals(Optional.of(ProvisioningState.Failed));
  }

  /** {@code provisioningState} {@code Provisioning}: not there yet. */
  public boolean isProvisioning() {
    return provisioningState().equals(Optional.of(ProvisioningState.Provisioning));
  }

  private JsonNode properties() {
    return body.path("properties");
  }

  private <E extends Enum<E>> Optional<E> word(Class<E> type, String field) {
    String text = Nodes.text(properties(), field, "");
    for (E value : type.getEnumConstants()) {
      if (value.name().equals(text)) {
        return Optional.of(value);
      }
    }
    return Optional.empty();
  }
}
