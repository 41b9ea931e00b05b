package dev.berth.registry.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.Principal;
import dev.berth.api.acr.AccessDecision;
import dev.berth.api.acr.Registry;
import dev.berth.api.secrets.SecretSealer;
import dev.berth.http.HttpExchange;
import dev.berth.identity.Directory;
import dev.berth.identity.IdentityConfig;
import dev.berth.identity.RbacAuthorizer;
import dev.berth.identity.SigningKeys;
import dev.berth.registry.AccessRequest;
import dev.berth.registry.Grant;
import dev.berth.registry.RegistryAccess;
import dev.berth.registry.RegistryException;
import dev.berth.registry.auth.internal.AcrJwt;
import dev.berth.registry.auth.internal.Caller;
import dev.berth.registry.auth.internal.Challenges;
import dev.berth.registry.auth.internal.Credentials;
import dev.berth.registry.auth.internal.RegistryPermissions;
import dev.berth.registry.auth.internal.RequestParts;
import dev.berth.store.ResourceStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * ACR's data-plane access check: network rules on the peer address first (403 {@code DENIED}), then
 * the credential — an ACR access token ({@code Bearer}), admin / repository-scoped token / service
 * principal credentials ({@code Basic}), or none (anonymous pull) — and a 401 Bearer challenge when
 * the caller must get a token with more scope. Thread-safe.
 *
 * @see <a href="https://github.com/Azure/acr/blob/main/docs/AAD-OAuth.md">ACR AAD-OAuth</a> (the
 *     challenge)
 * @see <a
 *     href="https://learn.microsoft.com/azure/container-registry/container-registry-access-selected-networks">ACR
 *     network rules</a>
 */
public final class AcrAccess implements RegistryAccess {

  private final RbacAuthorizer rbac;
  private final AcrJwt jwt;
  private final Credentials credentials;

  /**
   * @param config Berth's identity configuration; only its clock is read (token lifetimes)
   * @param directory the service principals Basic credentials may name
   * @param rbac role assignments, for service principals that use Basic
   * @param keys the keys {@link AcrTokenService} signs access tokens with
   * @param store where admin credentials, tokens and scope maps live ({@code AcrDocuments})
   * @param principals finds a principal by object id (service principals and managed identities):
   *     an access token whose principal was deleted grants nothing
   */
  public AcrAccess(
      IdentityConfig config,
      Directory directory,
      RbacAuthorizer rbac,
      SigningKeys keys,
      ResourceStore store,
      Function<String, Optional<Principal>> principals,
      SecretSealer sealer) {
    this.rbac = Objects.requireNonNull(rbac);
    this.jwt = new AcrJwt(keys, config.clock());
    this.credentials = new Credentials(store, directory, principals, jwt, sealer);
  }

  @Override
  public Grant authorize(HttpExchange exchange, Registry registry, List<AccessRequest> wanted) {
    Challenges.require(registry.network().decide(RequestParts.peerAddress(exchange)));
    Optional<String> bearer = RequestParts.bearer(exchange);
    if (bearer.isPresent()) {
      return fromAccessToken(registry, bearer.get(), wanted);
    }
    Optional<RequestParts.Basic> basic = RequestParts.basic(exchange);
    if (basic.isPresent()) {
      Caller caller;
      try {
        caller =
            credentials.resolve(registry, basic.get().username(), basic.get().password(), false);
      } catch (RegistryException e) {
        throw Challenges.unauthorized(registry, wanted, null);
      }
      List<AccessRequest> granted =
          RegistryPermissions.grant(registry, caller, grantsOf(caller, registry), wanted);
      return requireAll(registry, caller.subject(), wanted, granted, "insufficient_scope");
    }
    if (exchange.header("Authorization").isPresent()) {
      throw Challenges.unauthorized(registry, wanted, "invalid_token");
    }
    // Anonymous: only reads, only when the registry allows anonymous pull, and never for /v2/
    // itself, whose 401 challenge az CLI needs to start its login (azure-cli's
    // command_modules/acr/_docker_utils.py, _handle_challenge_phase).
    boolean readsOnly =
        !wanted.isEmpty()
            && wanted.stream()
                .allMatch(
                    w ->
                        w.type().equals("repository")
                            && w.actions().stream().allMatch(registry::anonymousAllows));
    if (readsOnly) {
      return new Grant("anonymous", wanted);
    }
    throw Challenges.unauthorized(registry, wanted, null);
  }

  private Grant fromAccessToken(Registry registry, String token, List<AccessRequest> wanted) {
    AcrJwt.Verified verified = jwt.verify(token, registry, "access_token");
    if (verified.claims().isEmpty()) {
      throw Challenges.unauthorized(registry, wanted, "invalid_token");
    }
    JsonNode claims = verified.claims().get();
    JsonNode principalId = claims.path(Credentials.PRINCIPAL_CLAIM);
    if (principalId.isTextual()) {
      try {
        credentials.requirePrincipal(registry, principalId.asText());
      } catch (RegistryException e) {
        throw Challenges.unauthorized(registry, wanted, "invalid_token");
      }
    }
    List<AccessRequest> held = new ArrayList<>();
    for (JsonNode a : claims.path("access")) {
      List<String> actions = new ArrayList<>();
      a.path("actions").forEach(x -> actions.add(x.asText()));
      held.add(new AccessRequest(a.path("type").asText(), a.path("name").asText(), actions));
    }
    Grant tokenGrant = new Grant(claims.path("sub").asText(), held);
    List<AccessRequest> granted = new ArrayList<>();
    for (AccessRequest w : wanted) {
      if (w.actions().stream().allMatch(a -> tokenGrant.allows(w.type(), w.name(), a))) {
        granted.add(w);
      }
    }
    return requireAll(registry, tokenGrant.subject(), wanted, granted, "insufficient_scope");
  }

  /**
   * What a token request by {@code principal} (an Entra token it exchanged) for {@code
   * repository:<repository>:pull} would be granted, and why not: role mode, ABAC conditions and
   * anonymous pull, decided by the same code as every token. For the pull diagnosis, which must not
   * guess.
   */
  public AccessDecision pullDecision(Principal principal, Registry registry, String repository) {
    return RegistryPermissions.entraDecision(
        registry, rbac.grants(principal, registry.id()), repository, "pull");
  }

  /**
   * What the registry would answer {@code principal} asking for {@code
   * repository:<repository>:<action>} from {@code address} with an Entra token — ARM-audience as
   * Container Apps presents, or the registry's own — decided by the same code, in the same order,
   * as a real request: the network rules ({@link Registry#network}), the exchange's audience
   * policy, the principal's existence ({@link Credentials#requirePrincipal}), then its role
   * assignments ({@link RegistryPermissions#entraVerdict}). Names the rule that decided.
   */
  public AccessCheck check(
      Principal principal,
      Registry registry,
      String repository,
      String action,
      Optional<String> address,
      boolean armAudience) {
    AccessDecision network = registry.network().decide(address);
    if (!network.isGranted()) {
      return new AccessCheck(network, AccessCheck.Rule.NETWORK_RULE, networkRule(network, address));
    }
    AccessDecision exchange = registry.exchange(armAudience);
    if (!exchange.isGranted()) {
      return new AccessCheck(
          exchange, AccessCheck.Rule.POLICY, "policies.azureADAuthenticationAsArmPolicy: disabled");
    }
    try {
      credentials.requirePrincipal(registry, principal.objectId());
    } catch (RegistryException e) {
      return new AccessCheck(
          AccessDecision.refused(
              AccessDecision.Reason.NO_ROLE, principal.objectId(), e.getMessage()),
          AccessCheck.Rule.IDENTITY,
          "principal " + principal.objectId() + " does not exist");
    }
    RegistryPermissions.Verdict verdict =
        RegistryPermissions.entraVerdict(
            registry, rbac.grants(principal, registry.id()), repository, action);
    if (verdict.decidedBy().isEmpty()) {
      return verdict.decision().isGranted()
          ? new AccessCheck(
              verdict.decision(), AccessCheck.Rule.ANONYMOUS_PULL, "anonymousPullEnabled: true")
          : new AccessCheck(
              verdict.decision(),
              AccessCheck.Rule.NO_ROLE_ASSIGNMENT,
              verdict.decision().answer().map(AccessDecision.Refusal::message).orElse(""));
    }
    RbacAuthorizer.RoleGrant grant = verdict.decidedBy().get();
    boolean condition =
        verdict.decision().refusal(AccessDecision.Reason.CONDITION_EXCLUDES).isPresent();
    return new AccessCheck(
        verdict.decision(),
        condition ? AccessCheck.Rule.ABAC_CONDITION : AccessCheck.Rule.ROLE_ASSIGNMENT,
        "role assignment "
            + grant.assignment().id()
            + " ("
            + grant.role().roleName()
            + " at scope "
            + grant.assignment().scope()
            + grant.condition().map(c -> ", condition: " + c).orElse("")
            + ")");
  }

  /** The network rule a refusal comes from, in the registry document's words. */
  private static String networkRule(AccessDecision network, Optional<String> address) {
    return network.refusal(AccessDecision.Reason.PUBLIC_NETWORK_DISABLED).isPresent()
        ? "publicNetworkAccess: Disabled"
        : "networkRuleSet.defaultAction: Deny, and no ipRules entry covers "
            + address.orElse("an unknown address");
  }

  private List<RbacAuthorizer.RoleGrant> grantsOf(Caller caller, Registry registry) {
    return caller instanceof Caller.Entra e ? rbac.grants(e.principal(), registry.id()) : List.of();
  }

  private static Grant requireAll(
      Registry registry,
      String subject,
      List<AccessRequest> wanted,
      List<AccessRequest> granted,
      String error) {
    Grant grant = new Grant(subject, granted);
    for (AccessRequest w : wanted) {
      for (String action : w.actions()) {
        if (!grant.allows(w.type(), w.name(), action)) {
          throw Challenges.unauthorized(registry, wanted, error);
        }
      }
    }
    return new Grant(subject, wanted);
  }
}
