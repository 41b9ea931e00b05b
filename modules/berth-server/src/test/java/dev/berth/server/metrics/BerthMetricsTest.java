package dev.berth.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ResourceId;
import dev.berth.http.Json;
import dev.berth.ingress.IngressObserver;
import dev.berth.store.Precondition;
import dev.berth.store.memory.InMemoryResourceStore;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The meter side: what the ingress and the activator report, and the replica documents, come out of
 * {@code scrape()} under the Prometheus names, labels and buckets docs/metrics.md promises.
 */
class BerthMetricsTest {

  private static final String APP =
      "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.App" + "/containerApps/web";
  private static final String V1 = "app=\"web\",revision=\"web--v1\"";

  private final InMemoryResourceStore store = new InMemoryResourceStore();
  private final BerthMetrics metrics = new BerthMetrics(store);
  private final IngressObserver ingress = metrics.ingress();

  @AfterEach
  void close() {
    metrics.close();
  }

  @Test
  void requestsAreCountedByAppRevisionAndStatusClass() {
    for (int status : new int[] {200, 201, 301, 404, 502, 503, 503}) {
      ingress.started("web", "web--v1");
      ingress.finished("web", "web--v1", status, 1_000_000);
    }
    ingress.started("web", "web--v2");
    ingress.finished("web", "web--v2", 200, 1_000_000);

    String text = metrics.scrape();
    assertThat(text)
        .contains("# TYPE berth_ingress_requests_total counter")
        .contains("berth_ingress_requests_total{" + V1 + ",status_class=\"2xx\"} 2.0")
        .contains("berth_ingress_requests_total{" + V1 + ",status_class=\"3xx\"} 1.0")
        .contains("berth_ingress_requests_total{" + V1 + ",status_class=\"4xx\"} 1.0")
        .contains("berth_ingress_requests_total{" + V1 + ",status_class=\"5xx\"} 3.0")
        .contains(
            "berth_ingress_requests_total{app=\"web\",revision=\"web--v2\",status_class=\"2xx\"}"
                + " 1.0")
        .doesNotContain("status_class=\"1xx\"");
  }

  @Test
  void durationsFallIntoSecondsBuckets() {
    ingress.started("web", "web--v1");
    ingress.finished("web", "web--v1", 200, Duration.ofMillis(3).toNanos());
    ingress.started("web", "web--v1");
    ingress.finished("web", "web--v1", 200, Duration.ofSeconds(2).toNanos());

    String text = metrics.scrape();
    assertThat(text)
        .contains("# TYPE berth_ingress_request_duration_seconds histogram")
        .contains("berth_ingress_request_duration_seconds_bucket{" + V1 + ",le=\"0.0025\"} 0")
        .contains("berth_ingress_request_duration_seconds_bucket{" + V1 + ",le=\"0.005\"} 1")
        .contains("berth_ingress_request_duration_seconds_bucket{" + V1 + ",le=\"2.5\"} 2")
        .contains("berth_ingress_request_duration_seconds_bucket{" + V1 + ",le=\"240.0\"} 2")
        .contains("berth_ingress_request_duration_seconds_count{" + V1 + "} 2")
        .contains("berth_ingress_request_duration_seconds_sum{" + V1 + "} 2.003");
  }

  @Test
  void inFlightCountsStartedRequestsNotYetFinished() {
    ingress.started("web", "web--v1");
    ingress.started("web", "web--v1");
    ingress.started("web", "web--v1");
    ingress.finished("web", "web--v1", 200, 1);

    assertThat(metrics.scrape()).contains("berth_ingress_requests_in_flight{" + V1 + "} 2.0");
  }

  @Test
  void coldStartsAreCountedWithTheirDuration() {
    ingress.coldStart("web", "web--v1", Duration.ofMillis(40));
    ingress.coldStart("web", "web--v1", Duration.ofMillis(700));

    String text = metrics.scrape();
    assertThat(text)
        .contains("berth_cold_starts_total{" + V1 + "} 2.0")
        .contains("berth_cold_start_duration_seconds_bucket{" + V1 + ",le=\"0.05\"} 1")
        .contains("berth_cold_start_duration_seconds_bucket{" + V1 + ",le=\"1.0\"} 2")
        .contains("berth_cold_start_duration_seconds_count{" + V1 + "} 2")
        .contains("berth_cold_start_duration_seconds_sum{" + V1 + "} 0.74");
  }

  @Test
  void replicasRunningAndReadyFollowTheStoredDocuments() {
    revision("web--v1", true);
    revision("web--v0", false);
    revision("web--v2", true);
    replica("web--v1", "a", true, true);
    replica("web--v1", "b", true, false);
    replica("web--v1", "c", false, false);

    String text = metrics.scrape();
    assertThat(text)
        .contains("berth_replicas_running{" + V1 + "} 2.0")
        .contains("berth_replicas_ready{" + V1 + "} 1.0")
        .contains("berth_replicas_running{app=\"web\",revision=\"web--v2\"} 0.0")
        .doesNotContain("revision=\"web--v0\"");

    store.delete(ResourceId.parse(APP + "/revisions/web--v1/replicas/a"), Precondition.NONE);
    store.delete(ResourceId.parse(APP + "/revisions/web--v2"), Precondition.NONE);
    String after = metrics.scrape();
    assertThat(after)
        .contains("berth_replicas_ready{" + V1 + "} 0.0")
        .doesNotContain("revision=\"web--v2\"");
  }

  @Test
  void theJvmIsMeasuredToo() {
    assertThat(metrics.scrape())
        .contains("jvm_memory_used_bytes{")
        .contains("jvm_threads_live_threads")
        .contains("process_uptime_seconds")
        .contains("jvm_gc_");
  }

  private void revision(String name, boolean active) {
    ObjectNode body = Json.object();
    body.putObject("properties").put("active", active);
    store.put(ResourceId.parse(APP + "/revisions/" + name), body, Precondition.NONE);
  }

  private void replica(String revision, String name, boolean running, boolean ready) {
    ObjectNode body = Json.object();
    ObjectNode p = body.putObject("properties");
    p.put("runningState", running ? "Running" : "NotRunning");
    p.putArray("containers").addObject().put("name", "c").put("ready", ready);
    store.put(
        ResourceId.parse(APP + "/revisions/" + revision + "/replicas/" + name),
        body,
        Precondition.NONE);
  }
}
