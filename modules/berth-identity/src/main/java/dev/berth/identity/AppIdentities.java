package dev.berth.identity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.Principal;
import dev.berth.api.Principal.PrincipalType;
import dev.berth.api.ResourceId;
import dev.berth.store.Query;
import dev.berth.store.ResourceStore;
import dev.berth.store.StoredResource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the managed identities of container apps from their store documents, for whoever needs them
 * as principals: the token verifier (system-assigned identities sign in like service principals),
 * the reconciler (registry pulls) and the managed-identity endpoint inside replicas. The
 * controlplane writes the documents; this class only reads them. Thread-safe when the store is.
 *
 * <p>The app document carries {@code identity.principalId} / {@code identity.tenantId} for its
 * system-assigned identity, whose client id is kept hidden in {@code berth.systemIdentityClientId};
 * user-assigned identities are the keys of {@code identity.userAssignedIdentities}, resolved
 * against their own {@code Microsoft.ManagedIdentity/userAssignedIdentities} documents (an identity
 * deleted since is left out).
 */
public final class AppIdentities {

  /** {@code Microsoft.App/containerApps}. */
  public static final String CONTAINER_APP_TYPE = "Microsoft.App/containerApps";

  /** {@code Microsoft.ManagedIdentity/userAssignedIdentities}. */
  public static final String USER_ASSIGNED_TYPE =
      "Microsoft.ManagedIdentity/userAssignedIdentities";

  /**
   * One identity of an app.
   *
   * @param resourceId the app itself for its system-assigned identity; the user-assigned identity's
   *     id (in the casing the app document names it) otherwise
   * @param systemAssigned whether this is the app's system-assigned identity
   * @param principal object id, tenant, client id ({@code appId}), and display name (the app's or
   *     the identity's name)
   */
  public record AppIdentity(ResourceId resourceId, boolean systemAssigned, Principal principal) {

    /** The client id tokens are requested with ({@code client_id=}). */
    public String clientId() {
      return principal.appId();
    }

    /** The object id role assignments name ({@code principal_id=}, {@code object_id=}). */
    public String principalId() {
      return principal.objectId();
    }
  }

  private final ResourceStore store;

  private AppIdentities(ResourceStore store) {
    this.store = store;
  }

  public static AppIdentities of(ResourceStore store) {
    return new AppIdentities(store);
  }

  /** The app's identities, system-assigned first; empty when the app does not exist. */
  public List<AppIdentity> forApp(ResourceId app) {
    Optional<StoredResource> doc = store.get(app);
    if (doc.isEmpty()) {
      return List.of();
    }
    List<AppIdentity> out = new ArrayList<>();
    system(doc.get()).ifPresent(out::add);
    JsonNode uamis = doc.get().body().path("identity").path("userAssignedIdentities");
    for (Iterator<Map.Entry<String, JsonNode>> it = uamis.fields(); it.hasNext(); ) {
      userAssigned(it.next().getKey()).ifPresent(out::add);
    }
    return out;
  }

  /** The app's system-assigned identity, if it has one. */
  public Optional<AppIdentity> systemAssigned(ResourceId app) {
    return store.get(app).flatMap(AppIdentities::system);
  }

  /**
   * The container app whose system-assigned identity has {@code objectId} as principal id, as a
   * service principal; empty once the app is deleted or its system identity removed.
   */
  public Optional<Principal> bySystemPrincipalId(String objectId) {
    // One scan of every app: Berth holds tens of them; no index on identity fields exists.
    return store.stream(Query.descendants(ResourceId.root(), CONTAINER_APP_TYPE).limit(500))
        .filter(
            doc ->
                objectId.equalsIgnoreCase(doc.body().path("identity").path("principalId").asText()))
        .findFirst()
        .flatMap(AppIdentities::system)
        .map(AppIdentity::principal);
  }

  private static Optional<AppIdentity> system(StoredResource doc) {
    JsonNode identity = doc.body().path("identity");
    String principalId = identity.path("principalId").asText("");
    String clientId = doc.body().path("berth").path("systemIdentityClientId").asText("");
    if (principalId.isEmpty()
        || clientId.isEmpty()
        || !identity.path("type").asText().contains("SystemAssigned")) {
      return Optional.empty();
    }
    return Optional.of(
        new AppIdentity(
            doc.id(),
            true,
            new Principal(
                principalId,
                identity.path("tenantId").asText(),
                clientId,
                PrincipalType.ServicePrincipal,
                doc.id().name())));
  }

  private Optional<AppIdentity> userAssigned(String key) {
    // The controlplane refuses keys that are not ids; reading stays lenient all the same.
    Optional<ResourceId> parsed = ResourceId.tryParse(key);
    if (parsed.isEmpty()) {
      return Optional.empty();
    }
    ResourceId id = parsed.get();
    return store
        .get(id)
        .filter(d -> d.body().path("type").asText().equalsIgnoreCase(USER_ASSIGNED_TYPE))
        .map(
            d -> {
              JsonNode p = d.body().path("properties");
              return new AppIdentity(
                  id,
                  false,
                  new Principal(
                      p.path("principalId").asText(),
                      p.path("tenantId").asText(),
                      p.path("clientId").asText(),
                      PrincipalType.ServicePrincipal,
                      d.id().name()));
            });
  }
}
