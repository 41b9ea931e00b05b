package dev.berth.identity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.Principal;
import dev.berth.api.Principal.PrincipalType;
import dev.berth.api.ResourceId;
import dev.berth.api.app.AppTypes;
import dev.berth.api.app.ContainerApp;
import dev.berth.api.app.ManagedServiceIdentity;
import dev.berth.store.Query;
import dev.berth.store.ResourceStore;
import dev.berth.store.StoredResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Resolves the managed identities of container apps to principals, for whoever needs them: the
 * token verifier (system-assigned identities sign in like service principals), the reconciler
 * (registry pulls) and the managed-identity endpoint inside replicas. The control plane writes the
 * documents; this class only reads them. Thread-safe when the store is.
 *
 * <p>An app's {@code identity} block is read through {@link ContainerApp#identity()}: its
 * system-assigned identity needs a principal id and the hidden client id; user-assigned identities
 * are resolved against their own {@code Microsoft.ManagedIdentity/userAssignedIdentities} documents
 * (an identity deleted since is left out).
 */
public final class AppIdentities {

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
    Optional<ContainerApp> doc = store.get(app).map(AppIdentities::view);
    if (doc.isEmpty()) {
      return List.of();
    }
    List<AppIdentity> out = new ArrayList<>();
    system(doc.get()).ifPresent(out::add);
    for (ManagedServiceIdentity.UserAssigned u : doc.get().identity().userAssigned()) {
      userAssigned(u).ifPresent(out::add);
    }
    return out;
  }

  /**
   * The identity of the app that {@code reference} names as a {@code registries[].identity} does:
   * {@code system}, or an attached user-assigned identity's resource id (case-insensitive).
   */
  public Optional<AppIdentity> named(ResourceId app, String reference) {
    boolean system = ManagedServiceIdentity.SYSTEM.equalsIgnoreCase(reference);
    return forApp(app).stream()
        .filter(
            i ->
                system
                    ? i.systemAssigned()
                    : !i.systemAssigned() && reference.equalsIgnoreCase(i.resourceId().value()))
        .findFirst();
  }

  /** The app's system-assigned identity, if it has one. */
  public Optional<AppIdentity> systemAssigned(ResourceId app) {
    return store.get(app).map(AppIdentities::view).flatMap(AppIdentities::system);
  }

  /**
   * The container app whose system-assigned identity has {@code objectId} as principal id, as a
   * service principal; empty once the app is deleted or its system identity removed.
   */
  public Optional<Principal> bySystemPrincipalId(String objectId) {
    // One scan of every app: Berth holds tens of them; no index on identity fields exists.
    return store.stream(Query.descendants(ResourceId.root(), AppTypes.CONTAINER_APP).limit(500))
        .map(AppIdentities::view)
        .filter(app -> app.identity().principalId().filter(objectId::equalsIgnoreCase).isPresent())
        .findFirst()
        .flatMap(AppIdentities::system)
        .map(AppIdentity::principal);
  }

  private static ContainerApp view(StoredResource doc) {
    return ContainerApp.of(doc.id(), doc.body());
  }

  private static Optional<AppIdentity> system(ContainerApp app) {
    ManagedServiceIdentity identity = app.identity();
    if (!identity.systemAssigned()
        || identity.principalId().isEmpty()
        || identity.systemClientId().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new AppIdentity(
            app.id(),
            true,
            new Principal(
                identity.principalId().get(),
                identity.tenantId().orElse(""),
                identity.systemClientId().get(),
                PrincipalType.ServicePrincipal,
                app.name())));
  }

  private Optional<AppIdentity> userAssigned(ManagedServiceIdentity.UserAssigned u) {
    // The controlplane refuses keys that are not ids; reading stays lenient all the same.
    return u.id()
        .flatMap(
            id ->
                store
                    .get(id)
                    .filter(
                        d -> d.body().path("type").asText().equalsIgnoreCase(USER_ASSIGNED_TYPE))
                    .map(d -> userAssigned(id, d)));
  }

  private static AppIdentity userAssigned(ResourceId id, StoredResource doc) {
    JsonNode p = doc.body().path("properties");
    return new AppIdentity(
        id,
        false,
        new Principal(
            p.path("principalId").asText(),
            p.path("tenantId").asText(),
            p.path("clientId").asText(),
            PrincipalType.ServicePrincipal,
            doc.id().name()));
  }
}
