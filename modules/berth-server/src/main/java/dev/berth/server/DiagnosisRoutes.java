package dev.berth.server;

import dev.berth.api.acr.AcrDocuments;
import dev.berth.api.acr.Registry;
import dev.berth.api.app.AppTypes;
import dev.berth.controlplane.ResourceType;
import dev.berth.controlplane.providers.app.DetectorRoutes;
import dev.berth.controlplane.providers.app.PullDiagnostics;
import dev.berth.controlplane.providers.containerregistry.CheckAccessRoute;
import dev.berth.controlplane.providers.containerregistry.RegistryAccessCheck;
import dev.berth.reconciler.Reconciler;
import dev.berth.registry.RegistryDirectory;
import dev.berth.registry.distribution.MetadataStore;
import dev.berth.store.ResourceStore;
import java.util.List;

/**
 * Wires what the diagnosis needs across modules (docs/pull-diagnosis.md): the container apps'
 * {@code detectors} routes and the registries' {@code checkAccess} route onto their ARM types, and
 * the registry's tag writes to the reconciler, so that a push of a missing tag heals at once.
 * Stateless.
 */
final class DiagnosisRoutes {

  private DiagnosisRoutes() {}

  /** {@code types} with the diagnosis' routes added to the container app and registry types. */
  static List<ResourceType> add(
      List<ResourceType> types,
      ResourceStore store,
      PullDiagnostics diagnostics,
      RegistryAccessCheck access) {
    return types.stream()
        .map(
            t -> {
              if (t.type().equalsIgnoreCase(AppTypes.CONTAINER_APP)) {
                return t.withRoutes(DetectorRoutes.of(store, diagnostics));
              }
              if (t.type().equalsIgnoreCase(AcrDocuments.REGISTRY_TYPE)) {
                return t.withRoutes(List.of(CheckAccessRoute.of(store, access)));
              }
              return t;
            })
        .toList();
  }

  /** A tag written in a registry's storage wakes the failed pulls from that registry. */
  static void healOnPush(MetadataStore metadata, ResourceStore store, Reconciler reconciler) {
    RegistryDirectory registries = new RegistryDirectory(store);
    metadata.onTagged(
        (storageKey, repository) ->
            registries.all().stream()
                .filter(r -> r.storageKey().equals(storageKey))
                .map(Registry::id)
                .forEach(reconciler::registryChanged));
  }
}
