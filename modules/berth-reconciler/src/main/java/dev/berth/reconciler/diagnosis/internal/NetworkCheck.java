package dev.berth.reconciler.diagnosis.internal;

import dev.berth.reconciler.diagnosis.Finding;
import dev.berth.store.ResourceStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The registry's network rules refuse the address the app's environment pulls from ({@code
 * properties.outboundAddress} of its {@code Microsoft.App/managedEnvironments} document): {@code
 * publicNetworkAccess: Disabled}, or {@code defaultAction: Deny} with no IP rule covering it
 * (acr-auth.md §3.4). Thread-safe.
 */
public final class NetworkCheck implements Check {

  private final ResourceStore store;

  public NetworkCheck(ResourceStore store) {
    this.store = store;
  }

  @Override
  public List<Finding> run(PullContext c) {
    RegistryFacts registry = c.registry();
    if (registry.publicNetworkAccess() && !registry.denyByDefault()) {
      return List.of();
    }
    Optional<String> address = outboundAddress(c);
    String from =
        address.map(a -> "the environment's outbound address " + a).orElse("the environment");
    List<Finding> findings = new ArrayList<>();
    if (!registry.publicNetworkAccess()) {
      findings.add(
          new Finding(
              registry.name() + " has public network access disabled",
              "publicNetworkAccess Disabled overrides every IP rule, so " + from + " is refused.",
              Commands.publicNetworkEnable(registry)));
    }
    if (registry.denyByDefault()
        && address.isPresent()
        && !Ipv4Range.covered(address.get(), registry.ipRules())) {
      findings.add(
          new Finding(
              registry.name() + " does not allow " + from,
              "Its networkRuleSet.defaultAction is Deny and no ipRules entry covers "
                  + address.get()
                  + ". Add the address, or allow every address: "
                  + Commands.defaultActionAllow(registry),
              Commands.networkRuleAdd(registry, address.get())));
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
