package dev.berth.controlplane.providers.app.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ArmErrorCode;
import dev.berth.api.ArmException;
import dev.berth.api.ResourceId;
import dev.berth.api.app.AppTypes;
import dev.berth.api.app.ContainerApp;
import dev.berth.api.app.ManagedEnvironment;
import dev.berth.store.Query;
import dev.berth.store.ResourceStore;
import dev.berth.store.StoredResource;
import java.util.Optional;

/**
 * The managed environment a container app runs in: named by {@code properties.environmentId} or
 * (before 2022-06) {@code managedEnvironmentId}, which must agree, name an existing environment and
 * stay the same for the app's life; both fields are stored and returned. Stateless.
 */
final class AppEnvironment {

  private AppEnvironment() {}

  /**
   * Sets both id fields and answers the environment, read in {@code tx}: the app write's
   * transaction.
   */
  static ManagedEnvironment apply(
      ResourceStore tx, ResourceId app, ObjectNode props, Optional<ObjectNode> current) {
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
    StoredResource doc =
        ResourceId.tryParse(envId)
            .filter(id -> id.type().equalsIgnoreCase(AppTypes.MANAGED_ENVIRONMENT))
            .flatMap(tx::get)
            .orElseThrow(
                () ->
                    Fields.invalid(
                        "environmentId",
                        "the managed environment '"
                            + wanted
                            + "' was not found; create it first (az containerapp env create)"));
    if (doc.body().path("properties").path("provisioningState").asText().equals("Deleting")) {
      // Its delete checked it had no apps, in a transaction this write comes after.
      throw ArmException.of(
              ArmErrorCode.Conflict,
              "The managed environment '"
                  + doc.id().name()
                  + "' is being deleted; a container app cannot be created or changed in it.")
          .withTarget("properties.environmentId");
    }
    ManagedEnvironment env = ManagedEnvironment.of(doc.id(), doc.body());
    Optional<ResourceId> before = current.flatMap(c -> ContainerApp.of(app, c).environmentId());
    if (before.isPresent() && !before.get().equals(env.id())) {
      throw Fields.invalid(
          "environmentId",
          "a container app cannot move to another environment (it is in '"
              + before.get().value()
              + "')");
    }
    if (before.isEmpty()) {
      refuseNameTaken(tx, app, env.id());
    }
    props.put("environmentId", envId);
    props.put("managedEnvironmentId", envId);
    return env;
  }

  /**
   * An app's names derive from its name and its environment's domain ({@code <app>.<domain>}, and
   * {@code http://<app>} within it): a second app of one name in one environment, from another
   * resource group, would take the first one's names.
   */
  private static void refuseNameTaken(ResourceStore tx, ResourceId app, ResourceId env) {
    ResourceId subscription = env.subscription().orElseThrow();
    Optional<ResourceId> taken =
        tx.stream(Query.descendants(subscription, AppTypes.CONTAINER_APP))
            .filter(doc -> doc.id().name().equalsIgnoreCase(app.name()))
            .filter(doc -> !doc.id().key().equals(app.key()))
            .filter(doc -> ContainerApp.of(doc.id(), doc.body()).inEnvironment(env))
            .map(StoredResource::id)
            .findFirst();
    if (taken.isPresent()) {
      throw ArmException.of(
              ArmErrorCode.Conflict,
              "A container app named '"
                  + taken.get().name()
                  + "' already runs in managed environment '"
                  + env.name()
                  + "' (in resource group '"
                  + taken.get().resourceGroupName().orElse("")
                  + "'): apps of one environment need different names, which their host names"
                  + " are made from. Choose another name, or another environment.")
          .withTarget("name");
    }
  }
}
