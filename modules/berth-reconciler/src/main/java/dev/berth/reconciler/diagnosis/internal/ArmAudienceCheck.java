package dev.berth.reconciler.diagnosis.internal;

import dev.berth.reconciler.diagnosis.CauseCode;
import dev.berth.reconciler.diagnosis.Finding;
import java.util.List;

/**
 * A managed-identity pull from a registry that refuses ARM-audience tokens at the exchange, as the
 * registry decides it ({@link dev.berth.api.acr.Registry#exchange}): Container Apps presents one.
 * Stateless.
 */
public final class ArmAudienceCheck implements Check {

  @Override
  public List<Finding> run(PullContext c) {
    if (c.entryIdentity().isEmpty() || c.registry().exchange(true).isGranted()) {
      return List.of();
    }
    return List.of(
        new Finding(
            CauseCode.ARM_AUDIENCE_DISABLED,
            c.registry().name() + " refuses ARM-audience tokens",
            "Its azureADAuthenticationAsArmPolicy is disabled, and Container Apps always pulls with"
                + " an ARM-audience token of the app's managed identity.",
            List.of(c.registry().id().value()),
            Commands.armAudienceEnable(c.registry())));
  }
}
