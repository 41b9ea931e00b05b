package dev.berth.server.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.ResourceId;
import dev.berth.api.app.AppTypes;
import dev.berth.api.app.Revision;
import dev.berth.store.Query;
import dev.berth.store.ResourceStore;
import dev.berth.store.StoredResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Replicas running and ready per app and revision, read from the replica documents the reconciler
 * writes when Prometheus scrapes — never on a request's path. Every active revision has a row (0
 * when scaled to zero); a revision that is gone loses its rows. Thread-safe: {@link #refresh} is
 * synchronized.
 */
final class ReplicaGauges {

  static final String RUNNING = "berth.replicas.running";
  static final String READY = "berth.replicas.ready";

  private final ResourceStore store;
  private final MultiGauge running;
  private final MultiGauge ready;

  ReplicaGauges(ResourceStore store, MeterRegistry registry) {
    this.store = store;
    this.running =
        MultiGauge.builder(RUNNING)
            .description("Replicas of the revision whose container runs")
            .register(registry);
    this.ready =
        MultiGauge.builder(READY)
            .description("Replicas of the revision ready to serve requests (the ingress's)")
            .register(registry);
  }

  /** Reads the revisions and replicas again and replaces every row. */
  synchronized void refresh() {
    // Revision key → counts, in a stable order for the output.
    Map<String, Counts> counts = new TreeMap<>();
    for (StoredResource doc : all(AppTypes.REVISION)) {
      if (Revision.of(doc.id(), doc.body()).active()) {
        counts.put(doc.id().key(), new Counts(doc.id()));
      }
    }
    for (StoredResource replica : all(AppTypes.REPLICA)) {
      ResourceId revision = replica.id().parent().orElseThrow();
      Counts c = counts.computeIfAbsent(revision.key(), k -> new Counts(revision));
      JsonNode p = replica.body().path("properties");
      // The ingress's own rule (server.ingress.Routes): Running, and its container ready.
      if (p.path("runningState").asText().equals("Running")) {
        c.running++;
        if (p.path("containers").path(0).path("ready").asBoolean(false)) {
          c.ready++;
        }
      }
    }
    List<MultiGauge.Row<?>> runningRows = new ArrayList<>();
    List<MultiGauge.Row<?>> readyRows = new ArrayList<>();
    for (Counts c : counts.values()) {
      Tags tags = Tags.of("app", c.app, "revision", c.revision);
      runningRows.add(MultiGauge.Row.of(tags, c.running));
      readyRows.add(MultiGauge.Row.of(tags, c.ready));
    }
    running.register(runningRows, true);
    ready.register(readyRows, true);
  }

  private List<StoredResource> all(String type) {
    return store.stream(Query.descendants(ResourceId.root(), type)).toList();
  }

  /** One revision's tally. Not thread-safe: used inside {@link #refresh}. */
  private static final class Counts {
    final String app;
    final String revision;
    int running;
    int ready;

    Counts(ResourceId revision) {
      this.revision = revision.name();
      this.app = revision.parent().map(ResourceId::name).orElse("");
    }
  }
}
