package dev.berth.api.acr;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A registry's answer to one access question (may this address connect, may this password log in,
 * may this caller pull this repository): granted, and by what, or refused with every reason that
 * holds, in the order the registry checks them. The registry answers the first refusal; the pull
 * diagnosis reports them all. Immutable.
 *
 * @param grantedBy what grants it ({@code AcrPull}, {@code anonymous pull}, a scope map), when
 *     granted and known
 * @param refusals empty when granted
 */
public record AccessDecision(Optional<String> grantedBy, List<Refusal> refusals) {

  /** Why a registry refuses, with the HTTP status and ACR error code it answers with. */
  public enum Reason {
    /** {@code publicNetworkAccess: Disabled}. */
    PUBLIC_NETWORK_DISABLED(403, "DENIED"),
    /** {@code networkRuleSet.defaultAction: Deny} and no IP rule covers the address. */
    ADDRESS_NOT_ALLOWED(403, "DENIED"),
    /** An ARM-audience Entra token while {@code azureADAuthenticationAsArmPolicy} is disabled. */
    ARM_AUDIENCE_REFUSED(401, "UNAUTHORIZED"),
    /** No credential, and {@code anonymousPullEnabled} is false. */
    ANONYMOUS_PULL_DISABLED(401, "UNAUTHORIZED"),
    ADMIN_USER_DISABLED(401, "UNAUTHORIZED"),
    TOKEN_DISABLED(401, "UNAUTHORIZED"),
    /** The password matches only expired (or unreadably dated) passwords of the token. */
    PASSWORD_EXPIRED(401, "UNAUTHORIZED"),
    WRONG_PASSWORD(401, "UNAUTHORIZED"),
    /** No role of the principal grants the action. */
    NO_ROLE(401, "UNAUTHORIZED"),
    /** A legacy role (AcrPull, …) on a registry in ABAC mode, which honours data actions only. */
    ROLE_NOT_HONOURED(401, "UNAUTHORIZED"),
    /** A role grants the action, but its ABAC condition leaves the repository out. */
    CONDITION_EXCLUDES(401, "UNAUTHORIZED"),
    /** A repository-scoped token whose scope map does not grant the action on the repository. */
    SCOPE_MAP_EXCLUDES(401, "UNAUTHORIZED");

    private final int status;
    private final String code;

    Reason(int status, String code) {
      this.status = status;
      this.code = code;
    }

    /** The HTTP status the registry answers with. */
    public int status() {
      return status;
    }

    /** The registry error code of the answer ({@code {"errors":[{"code": …}]}}). */
    public String code() {
      return code;
    }
  }

  /**
   * One reason for refusing.
   *
   * @param subject what the reason is about: the role, the token, the address
   * @param message the registry's own words for it, as its error answers them
   */
  public record Refusal(Reason reason, String subject, String message) {
    public Refusal {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(subject, "subject");
      Objects.requireNonNull(message, "message");
    }
  }

  public AccessDecision {
    Objects.requireNonNull(grantedBy, "grantedBy");
    refusals = List.copyOf(refusals);
  }

  /** Granted by {@code by}. */
  public static AccessDecision granted(String by) {
    return new AccessDecision(Optional.of(by), List.of());
  }

  /** Refused for {@code refusals}; granted (by nothing named) when there are none. */
  public static AccessDecision of(List<Refusal> refusals) {
    return new AccessDecision(Optional.empty(), refusals);
  }

  /** Refused for one reason. */
  public static AccessDecision refused(Reason reason, String subject, String message) {
    return of(List.of(new Refusal(reason, subject, message)));
  }

  public boolean isGranted() {
    return refusals.isEmpty();
  }

  /** The refusal the registry answers with: the first that holds. */
  public Optional<Refusal> answer() {
    return refusals.stream().findFirst();
  }

  /** The refusal of {@code reason}, if it holds. */
  public Optional<Refusal> refusal(Reason reason) {
    return refusals.stream().filter(r -> r.reason() == reason).findFirst();
  }
}
