package dev.berth.controlplane.support;

import dev.berth.api.secrets.SecretSealer;
import dev.berth.controlplane.ResourceType;
import dev.berth.controlplane.providers.app.AppProvider;
import dev.berth.controlplane.providers.app.LogStreams;
import dev.berth.controlplane.providers.app.internal.SequentialOutboundAddresses;
import dev.berth.controlplane.providers.containerregistry.ContainerRegistryProvider;
import dev.berth.controlplane.providers.containerregistry.LoginServers;
import dev.berth.controlplane.providers.managedidentity.ManagedIdentityProvider;
import dev.berth.controlplane.providers.operationalinsights.OperationalInsightsProvider;
import dev.berth.store.ResourceStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Every provider's resource types as the server registers them, for tests of the whole surface. */
public final class Providers {

  private Providers() {}

  /**
   * Registries (with scope maps and tokens), identities, environments, container apps and Log
   * Analytics workspaces; a container app write gives up on its revision after {@code appTimeout}
   * (no reconciler runs).
   */
  public static List<ResourceType> all(ResourceStore store, Duration appTimeout) {
    return all(store, appTimeout, LogStreams.NONE);
  }

  /** As {@link #all(ResourceStore, Duration)}, with container apps' logs read from {@code logs}. */
  public static List<ResourceType> all(ResourceStore store, Duration appTimeout, LogStreams logs) {
    SecretSealer sealer = SecretSealer.fromEncoded(SecretSealer.newEncodedKey());
    List<ResourceType> types = new ArrayList<>();
    types.addAll(
        ContainerRegistryProvider.resourceTypes(
            store, LoginServers.sequential(41000), (id, key) -> {}, Clock.systemUTC(), sealer));
    types.addAll(ManagedIdentityProvider.resourceTypes(store, Fakes.TENANT, Clock.systemUTC()));
    types.addAll(AppProvider.managedEnvironmentTypes(store, new SequentialOutboundAddresses(10)));
    types.addAll(
        AppProvider.containerAppTypes(
            store, Fakes.TENANT, Clock.systemUTC(), appTimeout, sealer, logs));
    types.addAll(OperationalInsightsProvider.resourceTypes(sealer, Clock.systemUTC()));
    return types;
  }
}
