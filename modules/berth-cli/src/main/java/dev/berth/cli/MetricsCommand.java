package dev.berth.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;

/**
 * {@code berth metrics}: prints Berth's {@code GET /metrics} (Prometheus' text format) with the
 * signed-in principal's token; it needs Reader or Monitoring Reader on the subscription
 * (docs/metrics.md). Not thread-safe (one per invocation).
 */
@Command(
    name = "metrics",
    mixinStandardHelpOptions = true,
    description =
        "Print Berth's metrics in Prometheus' text format (needs Reader or Monitoring Reader on the"
            + " subscription).")
final class MetricsCommand extends BerthCommand {

  MetricsCommand(CliEnvironment env) {
    super(env);
  }

  @Override
  int run() {
    PrintWriter out = out();
    session().arm().streamLines("/metrics", out::println);
    out.flush();
    return 0;
  }
}
