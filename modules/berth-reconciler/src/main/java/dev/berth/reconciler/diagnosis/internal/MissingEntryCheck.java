package dev.berth.reconciler.diagnosis.internal;

import static dev.berth.reconciler.diagnosis.internal.Sentences.capitalize;

import dev.berth.api.app.ContainerApp.RegistryCredentials;
import dev.berth.api.app.ManagedServiceIdentity;
import dev.berth.reconciler.diagnosis.CauseCode;
import dev.berth.reconciler.diagnosis.Finding;
import java.util.List;
import java.util.Optional;

/**
 * The app has no {@code configuration.registries[]} entry for the image's server, so the pull was
 * anonymous, and the registry does not allow anonymous pull. When the app has entries, but for
 * other servers, that is the cause: the entry names another server than the image's registry.
 * Thread-safe.
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
    List<RegistryCredentials> others = c.app().app().registries();
    if (!others.isEmpty()) {
      return List.of(mismatch(c, others.get(0)));
    }
    String cause = "No registry credentials for server " + c.server();
    String why =
        "The app's configuration.registries[] has no entry for it, and "
            + c.registry().name()
            + " does not allow anonymous pull.";
    List<String> resources = List.of(c.app().id().value(), c.registry().id().value());
    Optional<Pullers.Puller> puller = pullers.another(c, Optional.empty());
    if (puller.isPresent()) {
      return List.of(
          new Finding(
              CauseCode.REGISTRY_ENTRY_MISSING,
              cause,
              why
                  + " "
                  + capitalize(puller.get().identity().label())
                  + " has "
                  + puller.get().role()
                  + "; pull with it.",
              resources,
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
            CauseCode.REGISTRY_ENTRY_MISSING,
            cause,
            why + " No identity of the app can pull from it; give the system-assigned one pull.",
            resources,
            fix
                + "\n"
                + Commands.registrySetIdentity(
                    c.app(), c.server(), ManagedServiceIdentity.SYSTEM)));
  }

  /**
   * The app's entry is for another server (a typo, or a registry since renamed): its credentials
   * are never offered to the image's registry. The fix is the same entry for the right server.
   */
  private static Finding mismatch(PullContext c, RegistryCredentials other) {
    String fix =
        other.identity().isPresent()
            ? Commands.registrySetIdentity(c.app(), c.server(), other.identity().get())
            : Commands.registrySetPassword(c.app(), c.server(), other.username().orElse("<user>"));
    return new Finding(
        CauseCode.REGISTRY_SERVER_MISMATCH,
        "The app's registry entry is for " + other.server() + ", not for " + c.server(),
        "The image "
            + c.pull().image()
            + " comes from "
            + c.server()
            + " ("
            + c.registry().name()
            + "), so the entry's credentials are never offered to it and the pull is anonymous,"
            + " which "
            + c.registry().name()
            + " refuses. Add an entry for "
            + c.server()
            + " (or correct the image).",
        List.of(c.app().id().value(), c.registry().id().value()),
        fix);
  }
}
