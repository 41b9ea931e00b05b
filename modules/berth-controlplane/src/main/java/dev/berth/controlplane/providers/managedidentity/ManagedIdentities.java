package dev.berth.controlplane.providers.managedidentity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.Principal;
import dev.berth.api.Principal.PrincipalType;
import dev.berth.api.ResourceId;
import dev.berth.identity.AppIdentities;
import dev.berth.store.Query;
import dev.berth.store.ResourceStore;
import dev.berth.store.StoredResource;
import java.util.Optional;

/**
 * Finds managed identities by their principal (object) id, so the token verifier can accept tokens
 * issued to them: user-assigned identities, and the system-assigned identities of container apps
 * (which vanish with the app or when it drops {@code SystemAssigned}). Thread-safe when the store
 * is.
 */
public final class ManagedIdentities {

  private final ResourceStore store;
  private final AppIdentities apps;

  private ManagedIdentities(ResourceStore store) {
    this.store = store;
    this.apps = AppIdentities.of(store);
  }

  public static ManagedIdentities of(ResourceStore store) {
    return new ManagedIdentities(store);
  }

  /**
   * The identity whose {@code properties.principalId} is {@code objectId}, as a service principal
   * ({@code appId} its client id, {@code displayName} its name), or else the container app whose
   * system-assigned identity it is ({@code displayName} the app's name).
   */
  public Optional<Principal> byPrincipalId(String objectId) {
    // One scan of every identity: Berth holds tens of them; no index on properties exists.
    return store.stream(
            Query.descendants(ResourceId.root(), ManagedIdentityProvider.TYPE).limit(500))
        .filter(doc -> objectId.equalsIgnoreCase(principalId(doc)))
        .findFirst()
        .map(
            doc -> {
              JsonNode p = doc.body().path("properties");
              return new Principal(
                  p.path("principalId").asText(),
                  p.path("tenantId").asText(),
                  p.path("clientId").asText(),
                  PrincipalType.ServicePrincipal,
                  doc.id().name());
            })
        .or(() -> apps.bySystemPrincipalId(objectId));
  }

  private static String principalId(StoredResource doc) {
    return doc.body().path("properties").path("principalId").asText();
  }
}
