package dev.berth.reconciler.diagnosis.internal;

import static dev.berth.reconciler.diagnosis.internal.Sentences.capitalize;

import dev.berth.api.app.ManagedServiceIdentity;
import dev.berth.reconciler.diagnosis.Finding;
import java.util.List;
import java.util.Optional;

/**
 * The app has no {@code configuration.registries[]} entry for the image's server, so the pull was
 * anonymous, and the registry does not allow anonymous pull. Thread-safe.
 */
public final class MissingEntryCheck implements Check {

  private final Pullers pullers;

  public MissingEntryCheck(Pullers pullers) {
    this.pullers = pullers;
  }

  @Override
  public List<Finding> run(PullContext c) {
    if (c.entry().isPresent() || c.registry().anonymousPullEnabled()) {
      return List.of();
    }
    String cause = "No registry credentials for server " + c.server();
    String why =
        "The app's configuration.registries[] has no entry for it, and "
            + c.registry().name()
            + " does not allow anonymous pull.";
    Optional<Pullers.Puller> puller = pullers.another(c, Optional.empty());
    if (puller.isPresent()) {
      return List.of(
          new Finding(
              cause,
              why
                  + " "
                  + capitalize(puller.get().identity().label())
                  + " has "
                  + puller.get().role()
                  + "; pull with it.",
              Commands.registrySetIdentity(
                  c.app(), c.server(), puller.get().identity().reference())));
    }
    String fix =
        c.app()
            .systemIdentity()
            .flatMap(IdentityFacts::principalId)
            .map(id -> Commands.roleAssign(id, c.registry(), c.repository()))
            .orElse(
                Commands.assignSystemIdentity(c.app())
                    + "\n"
                    + Commands.roleAssign("<principalId>", c.registry(), c.repository()));
    return List.of(
        new Finding(
            cause,
            why + " No identity of the app can pull from it; give the system-assigned one pull.",
            fix
                + "\n"
                + Commands.registrySetIdentity(
                    c.app(), c.server(), ManagedServiceIdentity.SYSTEM)));
  }
}
