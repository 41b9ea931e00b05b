package dev.berth.reconciler.diagnosis.internal;

import static dev.berth.reconciler.diagnosis.internal.Sentences.capitalize;

import dev.berth.api.acr.AccessDecision.Refusal;
import dev.berth.reconciler.diagnosis.CauseCode;
import dev.berth.reconciler.diagnosis.Finding;
import java.util.List;
import java.util.Optional;

/**
 * The identity the registries[] entry selects cannot pull the repository, as the registry decides
 * it ({@link dev.berth.reconciler.diagnosis.PullPermissions}): no role, a legacy role on an ABAC
 * registry, or an ABAC condition that leaves the repository out. When another identity of the app
 * can pull, it says which and points the registry at it. Thread-safe.
 */
public final class PullRoleCheck implements Check {

  private final Pullers pullers;

  public PullRoleCheck(Pullers pullers) {
    this.pullers = pullers;
  }

  @Override
  public List<Finding> run(PullContext c) {
    Optional<IdentityFacts> selected = c.entryIdentity().flatMap(c.app()::attached);
    // A deleted identity is its own cause (IdentityAttachedCheck); its roles do not matter.
    if (selected.isEmpty() || selected.get().principal().isEmpty() || selected.get().deleted()) {
      return List.of();
    }
    IdentityFacts identity = selected.get();
    Optional<Refusal> refusal = pullers.decide(identity, c).answer();
    if (refusal.isEmpty()) {
      return List.of();
    }
    String cause =
        capitalize(identity.label())
            + " cannot pull "
            + c.repository()
            + " from "
            + c.registry().name();
    String why = reason(refusal.get(), c);
    CauseCode code =
        switch (refusal.get().reason()) {
          case ROLE_NOT_HONOURED -> CauseCode.ROLE_NOT_HONOURED;
          case CONDITION_EXCLUDES -> CauseCode.ABAC_CONDITION_EXCLUDES;
          default -> CauseCode.PULL_ROLE_MISSING;
        };
    List<String> resources = List.of(c.registry().id().value(), c.app().id().value());
    Optional<Pullers.Puller> other = pullers.another(c, selected);
    if (other.isPresent()) {
      return List.of(
          new Finding(
              code,
              cause,
              why
                  + " "
                  + capitalize(other.get().identity().label())
                  + " has "
                  + other.get().role()
                  + "; point the registry at it.",
              resources,
              Commands.registrySetIdentity(
                  c.app(), c.server(), other.get().identity().reference())));
    }
    String grant = Commands.roleAssign(identity.principalId().get(), c.registry(), c.repository());
    // ARM refuses a second assignment of the same role to the same principal at the same scope
    // (RoleAssignmentExists), whatever its condition: the conditioned one goes first.
    String fix =
        code == CauseCode.ABAC_CONDITION_EXCLUDES
            ? Commands.roleUnassign(
                    identity.principalId().get(), refusal.get().subject(), c.registry())
                + "\n"
                + grant
            : grant;
    return List.of(new Finding(code, cause, why, resources, fix));
  }

  /** The registry's reason for refusing the pull, in a sentence. */
  private static String reason(Refusal refusal, PullContext c) {
    String registry = c.registry().name();
    return switch (refusal.reason()) {
      case ROLE_NOT_HONOURED ->
          "Its "
              + refusal.subject()
              + " is not honoured: "
              + registry
              + " is in ABAC mode (AbacRepositoryPermissions), where pulls need "
              + Commands.REPOSITORY_READER
              + ".";
      case CONDITION_EXCLUDES ->
          "Its "
              + refusal.subject()
              + " assignment has a condition that does not cover repository '"
              + c.repository()
              + "'.";
      default ->
          "It has no role on "
              + registry
              + " that allows pull ("
              + (c.registry().abacMode() ? Commands.REPOSITORY_READER : Commands.ACR_PULL)
              + ").";
    };
  }
}
