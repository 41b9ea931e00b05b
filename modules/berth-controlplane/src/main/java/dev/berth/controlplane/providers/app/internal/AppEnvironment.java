package dev.berth.controlplane.providers.app.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ResourceId;
import dev.berth.controlplane.providers.app.AppProvider;
import dev.berth.store.ResourceStore;
import java.util.Optional;

/**
 * The managed environment a container app runs in: named by {@code properties.environmentId} or
 * (before 2022-06) {@code managedEnvironmentId}, which must agree, name an existing environment and
 * stay the same for the app's life; both fields are stored and returned. Stateless.
 */
final class AppEnvironment {

  private AppEnvironment() {}

  /**
   * Sets both id fields and answers the environment's properties, read in {@code tx}: the app
   * write's transaction.
   */
  static JsonNode apply(ResourceStore tx, ObjectNode props, Optional<ObjectNode> current) {
    String envId = Fields.text(props, "environmentId", "properties.environmentId");
    String legacy = Fields.text(props, "managedEnvironmentId", "properties.managedEnvironmentId");
    if (envId.isEmpty()) {
      envId = legacy;
    } else if (!legacy.isEmpty() && !legacy.equalsIgnoreCase(envId)) {
      throw Fields.invalid(
          "environmentId",
          "environmentId '"
              + envId
              + "' and managedEnvironmentId '"
              + legacy
              + "' name different environments; give one of them");
    }
    if (envId.isEmpty()) {
      throw Fields.invalid(
          "environmentId",
          "a container app needs properties.environmentId, the resource id of its managed"
              + " environment");
    }
    String wanted = envId;
    JsonNode env =
        ResourceId.tryParse(envId)
            .filter(id -> id.type().equalsIgnoreCase(AppProvider.ENVIRONMENT_TYPE))
            .flatMap(tx::get)
            .map(d -> d.body().path("properties"))
            .orElseThrow(
                () ->
                    Fields.invalid(
                        "environmentId",
                        "the managed environment '"
                            + wanted
                            + "' was not found; create it first (az containerapp env create)"));
    String before =
        current
            .map(
                c ->
                    c.path("properties")
                        .path("environmentId")
                        .asText(c.path("properties").path("managedEnvironmentId").asText("")))
            .orElse("");
    if (!before.isEmpty() && !before.equalsIgnoreCase(envId)) {
      throw Fields.invalid(
          "environmentId",
          "a container app cannot move to another environment (it is in '" + before + "')");
    }
    props.put("environmentId", envId);
    props.put("managedEnvironmentId", envId);
    return env;
  }
}
