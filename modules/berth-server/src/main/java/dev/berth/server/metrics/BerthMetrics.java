package dev.berth.server.metrics;

import dev.berth.controlplane.MetricsSource;
import dev.berth.ingress.IngressObserver;
import dev.berth.store.ResourceStore;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The server's one meter registry (Micrometer's Prometheus registry): the ingress's meters ({@link
 * #ingress}), replicas per revision, and the JVM's memory, garbage collection, threads, classes,
 * CPU, open files and uptime; {@link #scrape} renders them all. Close it with the server.
 * Thread-safe.
 */
public final class BerthMetrics implements MetricsSource, AutoCloseable {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final IngressMeters ingress = new IngressMeters(registry);
  private final ReplicaGauges replicas;
  private final JvmGcMetrics gc = new JvmGcMetrics();

  /**
   * @param store where the replica documents are read from at each scrape
   */
  public BerthMetrics(ResourceStore store) {
    this.replicas = new ReplicaGauges(store, registry);
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /** What the ingress and the activator report to. */
  public IngressObserver ingress() {
    return ingress;
  }

  @Override
  public String scrape() {
    replicas.refresh();
    return registry.scrape();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
