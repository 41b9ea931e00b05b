package dev.berth.reconciler.diagnosis.internal;

import static dev.berth.reconciler.diagnosis.internal.Sentences.capitalize;

import dev.berth.api.Principal;
import dev.berth.identity.RbacAuthorizer.RoleGrant;
import dev.berth.reconciler.diagnosis.Finding;
import java.util.List;
import java.util.Optional;

/**
 * The identity the registries[] entry selects cannot pull the repository: no role, a legacy role on
 * an ABAC registry, or an ABAC condition that leaves the repository out. When another identity of
 * the app can pull, it says which and points the registry at it. Thread-safe.
 */
public final class PullRoleCheck implements Check {

  private final Pullers pullers;

  public PullRoleCheck(Pullers pullers) {
    this.pullers = pullers;
  }

  @Override
  public List<Finding> run(PullContext c) {
    Optional<AppIdentity> selected = c.entryIdentity().flatMap(c.app()::attached);
    if (selected.isEmpty()
        || selected.get().principal().isEmpty()
        || pullers.canPull(selected.get(), c)) {
      return List.of();
    }
    AppIdentity identity = selected.get();
    String cause =
        capitalize(identity.label())
            + " cannot pull "
            + c.repository()
            + " from "
            + c.registry().name();
    String why = reason(identity.principal().get(), c);
    Optional<Pullers.Puller> other = pullers.another(c, selected);
    if (other.isPresent()) {
      return List.of(
          new Finding(
              cause,
              why
                  + " "
                  + capitalize(other.get().identity().label())
                  + " has "
                  + other.get().role()
                  + "; point the registry at it.",
              Commands.registrySetIdentity(
                  c.app(), c.server(), other.get().identity().reference())));
    }
    return List.of(
        new Finding(
            cause,
            why,
            Commands.roleAssign(identity.principalId().get(), c.registry(), c.repository())));
  }

  /** Why the grants the identity holds on the registry do not allow this pull. */
  private String reason(Principal principal, PullContext c) {
    boolean abac = c.registry().abacMode();
    List<RoleGrant> grants = pullers.rbac().grants(principal, c.registry().id());
    Optional<RoleGrant> legacy =
        grants.stream().filter(g -> g.permitsAction(Pullers.PULL_ACTION)).findFirst();
    if (abac && legacy.isPresent() && grants.stream().noneMatch(g -> Pullers.allowsPull(g, true))) {
      return "Its "
          + legacy.get().role().roleName()
          + " is not honoured: "
          + c.registry().name()
          + " is in ABAC mode (AbacRepositoryPermissions), where pulls need "
          + Commands.REPOSITORY_READER
          + ".";
    }
    Optional<RoleGrant> conditional =
        grants.stream()
            .filter(g -> Pullers.allowsPull(g, abac) && g.condition().isPresent())
            .findFirst();
    if (conditional.isPresent()) {
      return "Its "
          + conditional.get().role().roleName()
          + " assignment has a condition that does not cover repository '"
          + c.repository()
          + "'.";
    }
    return "It has no role on "
        + c.registry().name()
        + " that allows pull ("
        + (abac ? Commands.REPOSITORY_READER : Commands.ACR_PULL)
        + ").";
  }
}
