package dev.berth.reconciler.diagnosis.internal;

import dev.berth.reconciler.diagnosis.Finding;
import java.util.List;

/**
 * A managed-identity pull from a registry whose {@code azureADAuthenticationAsArmPolicy} is
 * disabled: the exchange refuses the ARM-audience token Container Apps presents (acr-auth.md §3.1).
 * Stateless.
 */
public final class ArmAudienceCheck implements Check {

  @Override
  public List<Finding> run(PullContext c) {
    if (c.entryIdentity().isEmpty() || c.registry().armAudienceAccepted()) {
      return List.of();
    }
    return List.of(
        new Finding(
            c.registry().name() + " refuses ARM-audience tokens",
            "Its azureADAuthenticationAsArmPolicy is disabled, and Container Apps always pulls with"
                + " an ARM-audience token of the app's managed identity.",
            Commands.armAudienceEnable(c.registry())));
  }
}
