package dev.berth.reconciler.diagnosis;

import dev.berth.api.ResourceId;
import dev.berth.api.acr.AcrDocuments;
import dev.berth.api.acr.Registry;
import dev.berth.api.secrets.SecretSealer;
import dev.berth.reconciler.diagnosis.internal.AppFacts;
import dev.berth.reconciler.diagnosis.internal.ArmAudienceCheck;
import dev.berth.reconciler.diagnosis.internal.Check;
import dev.berth.reconciler.diagnosis.internal.IdentityAttachedCheck;
import dev.berth.reconciler.diagnosis.internal.ImageCheck;
import dev.berth.reconciler.diagnosis.internal.LoginServerPort;
import dev.berth.reconciler.diagnosis.internal.MissingEntryCheck;
import dev.berth.reconciler.diagnosis.internal.NetworkCheck;
import dev.berth.reconciler.diagnosis.internal.PasswordCheck;
import dev.berth.reconciler.diagnosis.internal.PullContext;
import dev.berth.reconciler.diagnosis.internal.PullRoleCheck;
import dev.berth.reconciler.diagnosis.internal.Pullers;
import dev.berth.reconciler.diagnosis.internal.RegistryAnswer;
import dev.berth.runtime.image.PullException;
import dev.berth.store.Query;
import dev.berth.store.ResourceStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Explains a failed image pull the way a person would after checking by hand
 * (docs/pull-diagnosis.md): it reads the app, the registry, the identities, the role assignments
 * and the environment from the store and reports each cause that holds, with the Berth CLI command
 * that fixes it. Only Berth's own registries can be inspected; for any other it gives the one
 * generic advice there is. Thread-safe; each call reads the store afresh.
 */
public final class PullDiagnosis {

  private final ResourceStore store;
  private final List<Check> checks;

  /**
   * @param store the resource store the control plane writes
   * @param permissions the registry's own pull decision (legacy or ABAC mode, conditions), with the
   *     role that grants it or the reason it does not
   * @param catalog the tags each repository holds
   * @param sealer opens the app's password secrets and the registry's admin passwords to compare
   * @param clock judges the expiry of token passwords
   */
  public PullDiagnosis(
      ResourceStore store,
      PullPermissions permissions,
      RegistryCatalog catalog,
      SecretSealer sealer,
      Clock clock) {
    this.store = store;
    Pullers pullers = new Pullers(permissions);
    // The order a person checks in, most fundamental first (docs/pull-diagnosis.md, "The checks, in
    // order").
    this.checks =
        List.of(
            new MissingEntryCheck(pullers),
            new IdentityAttachedCheck(store),
            new ArmAudienceCheck(),
            new PullRoleCheck(pullers),
            new ImageCheck(catalog),
            new NetworkCheck(store),
            new PasswordCheck(store, sealer, clock));
  }

  /** The causes of {@code pull}'s failure that hold now, or a plain sentence when none does. */
  public Diagnosis diagnose(FailedPull pull) {
    String server = pull.image().registry();
    List<Registry> registries =
        store.stream(Query.descendants(ResourceId.root(), AcrDocuments.REGISTRY_TYPE))
            .map(d -> Registry.from(d.id(), d.body()))
            .toList();
    Optional<Registry> registry = registries.stream().filter(r -> r.servesAt(server)).findFirst();
    if (registry.isEmpty()) {
      // A Berth registry's host on the wrong port comes before anything a foreign one may suffer.
      return LoginServerPort.find(pull, registries, store)
          .map(port -> new Diagnosis(List.of(port), ""))
          .orElseGet(() -> foreign(pull, server));
    }
    PullContext context = new PullContext(pull, AppFacts.from(pull.app(), store), registry.get());
    List<Finding> findings = new ArrayList<>();
    for (Check check : checks) {
      findings.addAll(check.run(context));
    }
    return new Diagnosis(
        findings,
        "Berth found no cause in the registry's configuration; "
            + RegistryAnswer.describe(pull.error())
            + ".");
  }

  /** A registry Berth does not serve: all it can say is to check the credentials. */
  private static Diagnosis foreign(FailedPull pull, String server) {
    PullException.Reason reason = pull.error().reason();
    if (reason != PullException.Reason.UNAUTHORIZED && reason != PullException.Reason.DENIED) {
      return new Diagnosis(List.of(), "");
    }
    String app = pull.app().id().name();
    String group = pull.app().id().resourceGroupName().orElse("<group>");
    String fix =
        "berth containerapp registry set -n "
            + app
            + " -g "
            + group
            + " --server "
            + server
            + " --username <username> --password <password>";
    if (pull.registryEntry().isEmpty()) {
      return new Diagnosis(
          List.of(
              new Finding(
                  CauseCode.FOREIGN_REGISTRY_CREDENTIALS,
                  "No registry credentials for server " + server,
                  "The app's configuration.registries[] has no entry for it, and "
                      + RegistryAnswer.describe(pull.error())
                      + ".",
                  List.of(pull.app().id().value()),
                  fix)),
          "");
    }
    return new Diagnosis(
        List.of(
            new Finding(
                CauseCode.FOREIGN_REGISTRY_CREDENTIALS,
                server + " is not a Berth registry",
                "Berth cannot inspect it; check the credentials of the app's registry entry for it ("
                    + RegistryAnswer.describe(pull.error())
                    + ").",
                List.of(pull.app().id().value()),
                fix)),
        "");
  }
}
