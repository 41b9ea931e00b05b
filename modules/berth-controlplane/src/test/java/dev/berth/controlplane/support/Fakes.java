package dev.berth.controlplane.support;

import dev.berth.api.Principal;
import dev.berth.api.ResourceId;
import dev.berth.api.RoleDefinition;
import dev.berth.identity.Authorizer;
import dev.berth.identity.Directory;
import dev.berth.identity.RoleCatalog;
import dev.berth.identity.TokenRejectedException;
import dev.berth.identity.TokenVerifier;
import dev.berth.identity.VerifiedToken;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Small stand-ins for the identity module, enough to drive the ARM layer in tests. */
public final class Fakes {

  public static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
  public static final Principal OWNER = sp("11111111-1111-1111-1111-111111111111", "owner");
  public static final Principal READER = sp("22222222-2222-2222-2222-222222222222", "reader");
  public static final Principal CONTRIBUTOR =
      sp("33333333-3333-3333-3333-333333333333", "contributor");

  /** Authenticated, but the fake RBAC grants it nothing. */
  public static final Principal NOBODY = sp("77777777-7777-7777-7777-777777777777", "nobody");

  public static final String ACR_PULL = "7f951dda-4ed3-4680-a7ca-43fe172d538d";
  public static final String OWNER_ROLE = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
  public static final String READER_ROLE = "acdd72a7-3385-48ef-bd42-f606fba81ae7";

  private Fakes() {}

  private static Principal sp(String objectId, String name) {
    return new Principal(
        objectId,
        TENANT,
        "a" + objectId.substring(1),
        Principal.PrincipalType.ServicePrincipal,
        name);
  }

  /** Tokens are names: "owner", "reader", "contributor", "nobody"; the rest are refusals. */
  public static final class Tokens implements TokenVerifier {
    @Override
    public VerifiedToken verify(String token, Set<String> audiences) throws TokenRejectedException {
      Principal p =
          switch (token) {
            case "owner" -> OWNER;
            case "reader" -> READER;
            case "contributor" -> CONTRIBUTOR;
            case "nobody" -> NOBODY;
            case "expired" ->
                throw new TokenRejectedException(
                    TokenRejectedException.Reason.EXPIRED, "exp passed");
            case "wrong-aud" ->
                throw new TokenRejectedException(
                    TokenRejectedException.Reason.WRONG_AUDIENCE, "aud");
            case "forged" ->
                throw new TokenRejectedException(
                    TokenRejectedException.Reason.BAD_SIGNATURE, "sig");
            case "ghost" ->
                throw new TokenRejectedException(
                    TokenRejectedException.Reason.UNKNOWN_PRINCIPAL, "gone");
            default ->
                throw new TokenRejectedException(
                    TokenRejectedException.Reason.MALFORMED, "not a JWT");
          };
      return new VerifiedToken(p, audiences.iterator().next(), Instant.now().plusSeconds(3600));
    }
  }

  /** Owner may do anything, Reader only reads, Contributor everything but access management. */
  public static final class Rbac implements Authorizer {
    @Override
    public boolean isAllowed(Principal principal, String action, ResourceId scope) {
      if (principal.equals(OWNER)) {
        return true;
      }
      if (principal.equals(CONTRIBUTOR)) {
        return !action.startsWith("Microsoft.Authorization/") || action.endsWith("/read");
      }
      return principal.equals(READER) && action.endsWith("/read");
    }
  }

  public static final class Roles implements RoleCatalog {
    private final List<RoleDefinition> all =
        List.of(
            role(OWNER_ROLE, "Owner", List.of("*")),
            role(READER_ROLE, "Reader", List.of("*/read")),
            role(ACR_PULL, "AcrPull", List.of("Microsoft.ContainerRegistry/registries/pull/read")));

    private static RoleDefinition role(String id, String name, List<String> actions) {
      return new RoleDefinition(
          id,
          name,
          name + " role",
          "BuiltInRole",
          List.of(new RoleDefinition.Permission(actions, List.of(), List.of(), List.of())),
          List.of("/"));
    }

    @Override
    public List<RoleDefinition> all() {
      return all;
    }

    @Override
    public Optional<RoleDefinition> byId(String guid) {
      return all.stream().filter(r -> r.id().equalsIgnoreCase(guid)).findFirst();
    }

    @Override
    public Optional<RoleDefinition> byName(String roleName) {
      return all.stream().filter(r -> r.roleName().equalsIgnoreCase(roleName)).findFirst();
    }
  }

  public static final class Principals implements Directory {
    private final Map<String, Principal> byAppId = new ConcurrentHashMap<>();

    @Override
    public String tenantId() {
      return TENANT;
    }

    @Override
    public ServicePrincipalCredentials createServicePrincipal(String displayName) {
      Principal p =
          new Principal(
              UUID.randomUUID().toString(),
              TENANT,
              UUID.randomUUID().toString(),
              Principal.PrincipalType.ServicePrincipal,
              displayName);
      byAppId.put(p.appId(), p);
      return new ServicePrincipalCredentials(p, "secret-" + UUID.randomUUID());
    }

    @Override
    public Optional<ServicePrincipalCredentials> resetSecret(String appId) {
      return findByAppId(appId)
          .map(p -> new ServicePrincipalCredentials(p, "secret-" + UUID.randomUUID()));
    }

    @Override
    public Optional<Principal> authenticate(String clientId, String clientSecret) {
      return Optional.empty();
    }

    @Override
    public Optional<Principal> findByAppId(String appId) {
      return Optional.ofNullable(byAppId.get(appId));
    }

    @Override
    public Optional<Principal> findByObjectId(String objectId) {
      return byAppId.values().stream()
          .filter(p -> p.objectId().equalsIgnoreCase(objectId))
          .findFirst();
    }

    @Override
    public List<Principal> servicePrincipals() {
      return List.copyOf(byAppId.values());
    }

    @Override
    public boolean deleteServicePrincipal(String appId) {
      return byAppId.remove(appId) != null;
    }
  }
}
