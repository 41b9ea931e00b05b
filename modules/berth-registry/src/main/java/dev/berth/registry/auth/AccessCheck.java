package dev.berth.registry.auth;

import dev.berth.api.acr.AccessDecision;
import java.util.Objects;
import java.util.Optional;

/**
 * The registry's answer to "may this identity pull (or push) this repository?", asked without a
 * request ({@code berth acr check-access}): allowed or denied, the kind of rule that decided, the
 * rule itself, and — when denied — the status and error code the registry answers a real request
 * with. Immutable.
 *
 * @param decision the registry's decision (granted by what, or the refusals in the order the
 *     registry checks them)
 * @param decidedBy the kind of rule that decided
 * @param rule the rule, in words: the role assignment's id, role and scope (and its condition), the
 *     policy, the network rule
 */
public record AccessCheck(AccessDecision decision, Rule decidedBy, String rule) {

  /** The kinds of rule that decide a data-plane access. */
  public enum Rule {
    /** {@code publicNetworkAccess} or {@code networkRuleSet} (checked first, on every request). */
    NETWORK_RULE,
    /** {@code azureADAuthenticationAsArmPolicy} at the token exchange. */
    POLICY,
    /** The identity's principal does not exist (any more). */
    IDENTITY,
    /** {@code anonymousPullEnabled}. */
    ANONYMOUS_PULL,
    /** A role assignment (its role's actions or data actions at its scope). */
    ROLE_ASSIGNMENT,
    /** A role assignment whose ABAC condition leaves the repository out. */
    ABAC_CONDITION,
    /** No role assignment at any scope of the registry grants the action. */
    NO_ROLE_ASSIGNMENT
  }

  public AccessCheck {
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(decidedBy, "decidedBy");
    Objects.requireNonNull(rule, "rule");
  }

  public boolean allowed() {
    return decision.isGranted();
  }

  /** The refusal a real request gets (its status and code), when denied. */
  public Optional<AccessDecision.Refusal> refusal() {
    return decision.answer();
  }
}
