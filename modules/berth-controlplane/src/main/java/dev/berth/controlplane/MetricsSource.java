package dev.berth.controlplane;

/**
 * What {@code GET /metrics} on the management port answers with: the server's meters in Prometheus'
 * text format. The ARM layer serves it through its chain — authentication, then RBAC with {@link
 * #READ_ACTION} at the scope covering every subscription — so the source only writes the text
 * (docs/metrics.md). Implementations are thread-safe.
 */
@FunctionalInterface
public interface MetricsSource {

  /**
   * The action a caller needs: Azure Monitor's own action for reading metrics, which Reader and
   * Monitoring Reader ({@code *}{@code /read}), Contributor and Owner ({@code *}) hold, and a
   * custom role may grant alone.
   */
  String READ_ACTION = "Microsoft.Insights/metrics/read";

  /** Prometheus' text exposition format, version 0.0.4. */
  String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  /** Every meter now, in Prometheus' text format. */
  String scrape();
}
