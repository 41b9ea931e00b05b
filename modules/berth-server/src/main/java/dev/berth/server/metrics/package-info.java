/**
 * The server's metrics: Micrometer meters for the apps' ingress (requests, status classes, latency,
 * in flight), replicas and cold starts, with the JVM's own, published in Prometheus' text format at
 * {@code GET /metrics} on the management port (docs/metrics.md).
 */
package dev.berth.server.metrics;
