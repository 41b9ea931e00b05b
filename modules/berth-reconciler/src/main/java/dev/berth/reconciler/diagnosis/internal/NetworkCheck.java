package dev.berth.reconciler.diagnosis.internal;

import dev.berth.api.acr.AccessDecision.Refusal;
import dev.berth.api.acr.Registry;
import dev.berth.reconciler.diagnosis.CauseCode;
import dev.berth.reconciler.diagnosis.Finding;
import dev.berth.store.ResourceStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The registry's network rules refuse the address the app's environment pulls from ({@code
 * properties.outboundAddress} of its {@code Microsoft.App/managedEnvironments} document), as the
 * registry judges it ({@link dev.berth.api.acr.NetworkRules}): {@code publicNetworkAccess:
 * Disabled}, or {@code defaultAction: Deny} with no IP rule covering it. Thread-safe.
 */
public final class NetworkCheck implements Check {

  private final ResourceStore store;

  public NetworkCheck(ResourceStore store) {
    this.store = store;
  }

  @Override
  public List<Finding> run(PullContext c) {
    Registry registry = c.registry();
    Optional<String> address = outboundAddress(c);
    String from =
        address.map(a -> "the environment's outbound address " + a).orElse("the environment");
    List<Finding> findings = new ArrayList<>();
    for (Refusal refusal : registry.network().decide(address).refusals()) {
      switch (refusal.reason()) {
        case PUBLIC_NETWORK_DISABLED ->
            findings.add(
                new Finding(
                    CauseCode.PUBLIC_NETWORK_DISABLED,
                    registry.name() + " has public network access disabled",
                    "publicNetworkAccess Disabled overrides every IP rule, so "
                        + from
                        + " is refused.",
                    List.of(registry.id().value()),
                    Commands.publicNetworkEnable(registry)));
        // Judged only for a known address: without one, nothing says which rule to add.
        case ADDRESS_NOT_ALLOWED ->
            address.ifPresent(
                a ->
                    findings.add(
                        new Finding(
                            CauseCode.ADDRESS_NOT_ALLOWED,
                            registry.name() + " does not allow " + from,
                            "Its networkRuleSet.defaultAction is Deny and no ipRules entry covers "
                                + a
                                + ". Add the address, or allow every address: "
                                + Commands.defaultActionAllow(registry),
                            List.of(registry.id().value()),
                            Commands.networkRuleAdd(registry, a))));
        default -> {}
      }
    }
    return findings;
  }

  private Optional<String> outboundAddress(PullContext c) {
    return c.app()
        .environment()
        .flatMap(store::get)
        .flatMap(env -> AppFacts.text(env.body().path("properties").path("outboundAddress")));
  }
}
