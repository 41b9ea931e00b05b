package dev.berth.api.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.ResourceId;
import java.util.Optional;

/**
 * A read-only view of a managed environment document ({@code Microsoft.App/managedEnvironments}):
 * the values the control plane computed once at its creation. Immutable when its node is not
 * changed.
 */
public record ManagedEnvironment(ResourceId id, JsonNode body) {

  public static ManagedEnvironment of(ResourceId id, JsonNode body) {
    return new ManagedEnvironment(id, body);
  }

  /**
   * {@code <name>.<random>.localhost} ({@code …local.berth} before issue 12): the suffix of its
   * apps' host names.
   */
  public String defaultDomain() {
    return body.path("properties").path("defaultDomain").asText();
  }

  /** The address its replicas' pulls and calls leave from (and its {@code staticIp}). */
  public Optional<String> outboundAddress() {
    return Nodes.text(body.path("properties"), "outboundAddress");
  }

  public Optional<String> staticIp() {
    return Nodes.text(body.path("properties"), "staticIp");
  }
}
