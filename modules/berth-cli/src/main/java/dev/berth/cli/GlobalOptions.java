package dev.berth.cli;

import java.util.Optional;
import picocli.CommandLine.Option;

/** The options every berth command takes (az's global arguments). Mutable, filled by picocli. */
final class GlobalOptions {

  /** How results are printed. */
  /** How results print; {@code none} prints none, as az's {@code -o none} (errors still do). */
  enum OutputFormat {
    json,
    table,
    none
  }

  @Option(
      names = {"--output", "-o"},
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
      defaultValue = "json")
  OutputFormat output = OutputFormat.json;

  @Option(
      names = "--subscription",
      paramLabel = "ID",
      description = "Subscription to use instead of the profile's default.")
  String subscription;

  @Option(
      names = "--debug",
      description = "Print each request and response status to stderr (never tokens or secrets).")
  boolean debug;

  Optional<String> subscription() {
    return Optional.ofNullable(subscription).filter(s -> !s.isBlank());
  }
}
