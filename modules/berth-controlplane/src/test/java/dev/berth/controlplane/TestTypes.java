package dev.berth.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ArmErrorCode;
import dev.berth.api.ArmException;
import dev.berth.api.ResourceId;
import dev.berth.http.Json;
import dev.berth.store.ResourceStore;
import java.util.Locale;
import java.util.Optional;

/** Resource types like the ones real providers declare, for tests of the generic machinery. */
final class TestTypes {

  private TestTypes() {}

  /** A long-running tracked type with a computed read-only property and an action. */
  static ResourceType registries() {
    return ResourceType.builder("Microsoft.ContainerRegistry/registries")
        .apiVersions("2022-02-01-preview", "2023-07-01")
        .nameRule(
            ResourceType.NameRule.of(
                "[a-zA-Z0-9]+", 5, 50, "Registry name '{name}' must be 5-50 alphanumerics."))
        .longRunning(true)
        .readOnlyProperties("loginServer", "creationDate")
        .hooks(
            new ResourceHooks() {
              @Override
              public ObjectNode prepare(
                  ResourceStore tx,
                  ResourceId id,
                  ObjectNode desired,
                  Optional<ObjectNode> current) {
                ObjectNode p = (ObjectNode) desired.path("properties");
                p.put("loginServer", id.name().toLowerCase(Locale.ROOT) + ".acr.local");
                if (p.path("adminUserEnabled").isMissingNode()) {
                  p.put("adminUserEnabled", false);
                }
                if (p.path("adminUserEnabled").isTextual()) {
                  throw ArmException.of(
                          ArmErrorCode.InvalidParameter, "adminUserEnabled must be a boolean.")
                      .withTarget("properties.adminUserEnabled");
                }
                return desired;
              }

              @Override
              public Optional<ObjectNode> onCreateOrUpdate(ResourceId id, ObjectNode stored) {
                if (stored.at("/tags/fail").asText().equals("yes")) {
                  throw ArmException.of(ArmErrorCode.Conflict, "Provisioning was told to fail.");
                }
                return Optional.of(Json.object().put("creationDate", "2026-01-01T00:00:00Z"));
              }

              @Override
              public Optional<JsonNode> action(
                  String action, ResourceId id, ObjectNode stored, ObjectNode body) {
                return action.equalsIgnoreCase("listCredentials")
                    ? Optional.of(Json.object().put("username", id.name()))
                    : Optional.empty();
              }
            })
        .build();
  }

  /** A synchronous nested proxy type. */
  static ResourceType webhooks() {
    return ResourceType.builder("Microsoft.ContainerRegistry/registries/webhooks")
        .apiVersions("2023-07-01")
        .proxy()
        .build();
  }
}
