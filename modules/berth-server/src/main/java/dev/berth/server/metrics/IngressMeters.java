package dev.berth.server.metrics;

import dev.berth.ingress.IngressObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The ingress's meters, per app and revision: requests by status class, their duration as a
 * histogram, those in flight, and cold starts with their duration (docs/metrics.md). A request
 * costs two map lookups, a counter, a timer and a gauge update: each app's and revision's meters
 * are made once and kept. Thread-safe.
 */
public final class IngressMeters implements IngressObserver {

  static final String REQUESTS = "berth.ingress.requests";
  static final String DURATION = "berth.ingress.request.duration";
  static final String IN_FLIGHT = "berth.ingress.requests.in.flight";
  static final String COLD_STARTS = "berth.cold.starts";
  static final String COLD_START_DURATION = "berth.cold.start.duration";

  /**
   * Request duration buckets: from a cached page on loopback (1 ms) to Container Apps' request
   * timeout (240 s).
   */
  private static final Duration[] REQUEST_BUCKETS =
      durations(
          1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000,
          120_000, 240_000);

  /** Cold start buckets: from the runc floor (tens of ms) to a slow image pull. */
  private static final Duration[] COLD_START_BUCKETS =
      durations(25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000);

  private static final String[] STATUS_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};

  private final MeterRegistry registry;
  private final ConcurrentMap<String, ConcurrentMap<String, RevisionMeters>> byApp =
      new ConcurrentHashMap<>();

  public IngressMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void started(String app, String revision) {
    meters(app, revision).inFlight.incrementAndGet();
  }

  @Override
  public void finished(String app, String revision, int status, long nanos) {
    RevisionMeters m = meters(app, revision);
    m.inFlight.decrementAndGet();
    m.requests(status).increment();
    m.duration.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void coldStart(String app, String revision, Duration duration) {
    // Rare next to requests: the registry finds (or makes) the meters by name and tags.
    Counter.builder(COLD_STARTS)
        .description("Times a revision went from zero replicas to one ready while requests waited")
        .tags("app", app, "revision", revision)
        .register(registry)
        .increment();
    Timer.builder(COLD_START_DURATION)
        .description("From a request finding no replica to the first replica ready to serve it")
        .tags("app", app, "revision", revision)
        .serviceLevelObjectives(COLD_START_BUCKETS)
        .register(registry)
        .record(duration);
  }

  private RevisionMeters meters(String app, String revision) {
    // get before computeIfAbsent: the common case is a hit, which then takes no lock.
    ConcurrentMap<String, RevisionMeters> revisions = byApp.get(app);
    if (revisions == null) {
      revisions = byApp.computeIfAbsent(app, a -> new ConcurrentHashMap<>());
    }
    RevisionMeters m = revisions.get(revision);
    if (m == null) {
      m = revisions.computeIfAbsent(revision, r -> new RevisionMeters(registry, app, r));
    }
    return m;
  }

  /** One revision's meters, made once. Thread-safe. */
  private static final class RevisionMeters {
    private final MeterRegistry registry;
    private final String app;
    private final String revision;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Timer duration;
    // Made on first use: a revision that never answers 1xx has no 1xx series.
    private final AtomicReferenceArray<Counter> byClass = new AtomicReferenceArray<>(5);

    RevisionMeters(MeterRegistry registry, String app, String revision) {
      this.registry = registry;
      this.app = app;
      this.revision = revision;
      this.duration =
          Timer.builder(DURATION)
              .description("Time from routing a request to the end of its answer")
              .tags("app", app, "revision", revision)
              .serviceLevelObjectives(REQUEST_BUCKETS)
              .register(registry);
      // The gauge reads the counter this object keeps alive (Micrometer holds it weakly).
      Gauge.builder(IN_FLIGHT, inFlight, AtomicInteger::get)
          .description("Requests routed to the revision and not yet answered")
          .tags("app", app, "revision", revision)
          .register(registry);
    }

    Counter requests(int status) {
      int i = Math.min(Math.max(status / 100, 1), 5) - 1;
      Counter c = byClass.get(i);
      if (c == null) {
        // Registering twice gives the same counter: a race here costs a lookup, not a count.
        c =
            Counter.builder(REQUESTS)
                .description("Requests the ingress answered for the app, by status class")
                .tags("app", app, "revision", revision, "status_class", STATUS_CLASSES[i])
                .register(registry);
        byClass.set(i, c);
      }
      return c;
    }
  }

  private static Duration[] durations(double... millis) {
    Duration[] out = new Duration[millis.length];
    for (int i = 0; i < millis.length; i++) {
      out[i] = Duration.ofNanos(Math.round(millis[i] * 1_000_000));
    }
    return out;
  }
}
