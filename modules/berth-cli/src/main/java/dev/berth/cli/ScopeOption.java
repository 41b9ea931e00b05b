package dev.berth.cli;

import picocli.CommandLine.Option;

/** The {@code --scope} option of the role commands, defaulting to the subscription. Mutable. */
final class ScopeOption {

  @Option(names = "--scope", description = "Scope (default: the subscription).")
  String scope;

  /** The scope given, else {@code subscriptionPath}. */
  String orElse(String subscriptionPath) {
    return scope != null ? scope : subscriptionPath;
  }
}
