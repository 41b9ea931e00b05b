package dev.berth.reconciler.diagnosis.internal;

import dev.berth.api.acr.AccessDecision;
import dev.berth.reconciler.diagnosis.PullPermissions;
import java.util.Optional;

/**
 * Asks the registry which of an app's identities can pull a repository, and by which role.
 * Thread-safe.
 */
public final class Pullers {

  /** An identity that can pull, and the role it holds for that. */
  record Puller(IdentityFacts identity, String role) {}

  private final PullPermissions permissions;

  public Pullers(PullPermissions permissions) {
    this.permissions = permissions;
  }

  /** The registry's decision on {@code identity} pulling the repository; refused without one. */
  AccessDecision decide(IdentityFacts identity, PullContext c) {
    if (identity.deleted()) {
      return AccessDecision.refused(
          AccessDecision.Reason.NO_ROLE, identity.label(), "its resource was deleted");
    }
    return identity
        .principal()
        .map(p -> permissions.pull(p, c.registry().id(), c.repository()))
        .orElse(
            AccessDecision.refused(
                AccessDecision.Reason.NO_ROLE, identity.label(), "its principal id is unknown"));
  }

  /** The first of the app's identities other than {@code except} that can pull. */
  Optional<Puller> another(PullContext c, Optional<IdentityFacts> except) {
    for (IdentityFacts i : c.app().identities()) {
      if (except.map(e -> e.reference().equals(i.reference())).orElse(false)) {
        continue;
      }
      AccessDecision decision = decide(i, c);
      if (decision.isGranted()) {
        return Optional.of(new Puller(i, decision.grantedBy().orElse("pull access")));
      }
    }
    return Optional.empty();
  }
}
