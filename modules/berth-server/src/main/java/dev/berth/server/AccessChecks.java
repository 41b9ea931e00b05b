package dev.berth.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ArmErrorCode;
import dev.berth.api.ArmException;
import dev.berth.api.Principal;
import dev.berth.api.ResourceId;
import dev.berth.api.acr.AccessDecision;
import dev.berth.api.acr.Registry;
import dev.berth.controlplane.providers.containerregistry.RegistryAccessCheck;
import dev.berth.http.Json;
import dev.berth.registry.RegistryDirectory;
import dev.berth.registry.auth.AccessCheck;
import dev.berth.registry.auth.AcrAccess;
import dev.berth.store.ResourceStore;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code berth acr check-access} answered by the registry's own decision ({@link AcrAccess#check},
 * the code its token requests run): the control plane's port, filled where both meet. The identity
 * is a user-assigned identity's resource id (its principal read from its document) or a principal
 * id. Thread-safe.
 */
final class AccessChecks implements RegistryAccessCheck {

  private static final String IDENTITIES = "microsoft.managedidentity/userassignedidentities";

  private final ResourceStore store;
  private final RegistryDirectory registries;
  private final AcrAccess access;
  private final Function<String, Optional<Principal>> principals;

  AccessChecks(
      ResourceStore store, AcrAccess access, Function<String, Optional<Principal>> principals) {
    this.store = store;
    this.registries = new RegistryDirectory(store);
    this.access = access;
    this.principals = principals;
  }

  @Override
  public ObjectNode check(Question q) {
    Registry registry =
        registries
            .byId(q.registry())
            .orElseThrow(
                () ->
                    ArmException.of(
                        ArmErrorCode.ResourceNotFound,
                        "Registry '" + q.registry().name() + "' was not found."));
    Principal principal = principal(q.identity());
    AccessCheck check =
        access.check(
            principal, registry, q.repository(), q.action(), q.sourceAddress(), q.armAudience());
    ObjectNode out = Json.object();
    out.put("allowed", check.allowed());
    out.put("identity", q.identity());
    out.put("principalId", principal.objectId());
    out.put("repository", q.repository());
    out.put("action", q.action());
    out.put("decidedBy", check.decidedBy().name());
    out.put("rule", check.rule());
    check.decision().grantedBy().ifPresent(by -> out.put("grantedBy", by));
    Optional<AccessDecision.Refusal> refusal = check.refusal();
    refusal.ifPresent(
        r -> {
          out.put("reason", r.reason().name());
          out.put("status", r.reason().status());
          out.put("code", r.reason().code());
          out.put("message", r.message());
        });
    return out;
  }

  /**
   * A user-assigned identity's id → its principal (the identity must exist: a deleted one has no
   * principal to ask about); anything else is taken as a principal id the directory knows, or — for
   * a principal whose identity was deleted — an unknown principal, which the registry refuses.
   */
  private Principal principal(String identity) {
    Optional<ResourceId> id = ResourceId.tryParse(identity);
    if (id.isPresent() && id.get().type().toLowerCase(Locale.ROOT).equals(IDENTITIES)) {
      String principalId =
          store
              .get(id.get())
              .map(d -> d.body().path("properties").path("principalId").asText(""))
              .filter(p -> !p.isBlank())
              .orElseThrow(
                  () ->
                      ArmException.of(
                              ArmErrorCode.ResourceNotFound,
                              "The user-assigned identity '" + id.get().name() + "' was not found.")
                          .withTarget("identity"));
      return principals.apply(principalId).orElse(unknown(principalId));
    }
    if (identity.contains("/")) {
      throw ArmException.of(
              ArmErrorCode.InvalidParameter,
              "identity must be a user-assigned identity's resource id or a principal id.")
          .withTarget("identity");
    }
    return principals.apply(identity).orElse(unknown(identity));
  }

  private static Principal unknown(String objectId) {
    return new Principal(objectId, "", "", Principal.PrincipalType.ServicePrincipal, objectId);
  }
}
