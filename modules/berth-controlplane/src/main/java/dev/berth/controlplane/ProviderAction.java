package dev.berth.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ResourceId;

/**
 * An action a resource provider serves at subscription level, {@code POST
 * /subscriptions/{sub}/providers/{Namespace}/{name}} (such as ACR's {@code checkNameAvailability}),
 * declared on the {@link ResourceType} it is about; it accepts that type's api-versions. Immutable;
 * the handler must be thread-safe.
 *
 * @param name the last path segment, matched case-insensitively
 * @param permission the RBAC action the caller needs at the subscription, such as {@code
 *     Microsoft.ContainerRegistry/checkNameAvailability/read}
 */
public record ProviderAction(String name, String permission, Handler handler) {

  /** Answers the action. */
  @FunctionalInterface
  public interface Handler {
    /**
     * @param subscription the subscription the request names (it exists)
     * @param body the request's JSON object ({@code {}} when empty)
     * @return the 200 reply body; throw an {@link dev.berth.api.ArmException} to refuse
     */
    JsonNode handle(ResourceId subscription, ObjectNode body) throws Exception;
  }
}
