package dev.berth.reconciler.diagnosis.internal;

import dev.berth.api.Principal;
import dev.berth.identity.RbacAuthorizer;
import dev.berth.identity.RbacAuthorizer.RoleGrant;
import dev.berth.reconciler.diagnosis.PullPermissions;
import java.util.Optional;

/**
 * Finds which of an app's identities can pull a repository, and names the role that lets it.
 * Thread-safe.
 */
public final class Pullers {

  /** The legacy-mode permission to pull (acr-auth.md §4.1). */
  static final String PULL_ACTION = "Microsoft.ContainerRegistry/registries/pull/read";

  /** The ABAC-mode data action to pull (acr-auth.md §4.2). */
  static final String CONTENT_READ =
      "Microsoft.ContainerRegistry/registries/repositories/content/read";

  /** An identity that can pull, and the role it holds for that. */
  record Puller(AppIdentity identity, String role) {}

  private final PullPermissions permissions;
  private final RbacAuthorizer rbac;

  public Pullers(PullPermissions permissions, RbacAuthorizer rbac) {
    this.permissions = permissions;
    this.rbac = rbac;
  }

  boolean canPull(AppIdentity identity, PullContext c) {
    return identity
        .principal()
        .map(p -> permissions.canPull(p, c.registry().id(), c.repository()))
        .orElse(false);
  }

  /** The first of the app's identities other than {@code except} that can pull. */
  Optional<Puller> another(PullContext c, Optional<AppIdentity> except) {
    return c.app().identities().stream()
        .filter(i -> except.map(e -> !e.reference().equals(i.reference())).orElse(true))
        .filter(i -> canPull(i, c))
        .findFirst()
        .map(i -> new Puller(i, pullRole(i.principal().orElseThrow(), c)));
  }

  /** The name of a role of {@code principal} on the registry that allows pull. */
  private String pullRole(Principal principal, PullContext c) {
    return rbac.grants(principal, c.registry().id()).stream()
        .filter(g -> allowsPull(g, c.registry().abacMode()))
        .map(g -> g.role().roleName())
        .findFirst()
        .orElse("pull access");
  }

  static boolean allowsPull(RoleGrant grant, boolean abacMode) {
    return abacMode ? grant.permitsDataAction(CONTENT_READ) : grant.permitsAction(PULL_ACTION);
  }

  RbacAuthorizer rbac() {
    return rbac;
  }
}
