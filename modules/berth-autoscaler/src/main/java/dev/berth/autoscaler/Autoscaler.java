package dev.berth.autoscaler;

import dev.berth.autoscaler.internal.ConcurrencyWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * One revision's autoscaler: fed the in-flight requests the ingress observes, it decides every
 * {@code pollingInterval} how many replicas the revision should run, as Knative's KPA decider does
 * with Container Apps' settings. The stable window's mean concurrency over the target per replica,
 * rounded up, is the wanted count; when the panic window wants at least {@code panicThreshold}
 * times the current replicas it panics, decides by the panic window and scales down no more until a
 * stable window has passed without that burst. The last replica goes only after {@code
 * cooldownPeriod} without requests, never below {@code minReplicas}; a request at zero replicas is
 * decided on at once. Pure: no I/O, threads or clock — every instant is handed in.
 *
 * <p>Not thread-safe: one per revision, fed and polled from that revision's one serialised path.
 *
 * @see <a
 *     href="https://github.com/knative/serving/blob/main/pkg/autoscaler/scaling/autoscaler.go">knative/serving
 *     pkg/autoscaler/scaling/autoscaler.go</a>
 * @see <a
 *     href="https://github.com/knative/serving/blob/main/docs/scaling/SYSTEM.md">knative/serving
 *     docs/scaling/SYSTEM.md</a>
 * @see <a href="https://learn.microsoft.com/azure/container-apps/scale-app">Scaling in Azure
 *     Container Apps: cooldownPeriod, pollingInterval, concurrentRequests</a>
 */
public final class Autoscaler {

  private final ScaleSettings settings;
  private final ConcurrencyWindow window;
  private Instant lastBusy;
  private Instant lastDecision;
  private boolean panicking;
  private Instant lastBurst;
  private int panicReplicas;

  private Autoscaler(ScaleSettings settings, Instant start) {
    this.settings = settings;
    this.window = new ConcurrencyWindow(start, settings.granularity(), settings.stableWindow());
    // A revision starts as if it had just served: it gets a full cooldown before it may go to zero.
    this.lastBusy = start;
  }

  /** An autoscaler for a revision that starts at {@code start}. */
  public static Autoscaler of(ScaleSettings settings, Instant start) {
    return new Autoscaler(settings, start);
  }

  public ScaleSettings settings() {
    return settings;
  }

  /** Records that {@code inFlight} requests were in flight to the revision at {@code at}. */
  public void record(Instant at, int inFlight) {
    record(at, inFlight, inFlight);
  }

  /**
   * Records that {@code mean} requests were in flight on average since the previous observation
   * (the ingress's time-weighted reading: short requests between two readings count) and {@code
   * inFlight} at {@code at}.
   */
  public void record(Instant at, double mean, int inFlight) {
    boolean wasBusy = window.latest() > 0;
    window.record(at, mean, inFlight);
    // The requests seen last ended between the previous observation and this one.
    if ((inFlight > 0 || mean > 0 || wasBusy) && at.isAfter(lastBusy)) {
      lastBusy = at;
    }
  }

  /**
   * The decision due at {@code now} for a revision running {@code current} replicas: empty until a
   * {@code pollingInterval} has passed since the last decision, except that requests waiting at
   * zero replicas (the activator's case) and a burst that would panic are decided on at once, as
   * Knative's autoscaler reacts within its tick rather than ACA's 30 s poll.
   */
  public Optional<ScaleDecision> poll(Instant now, int current) {
    boolean waitingAtZero = current == 0 && window.latest() > 0;
    boolean due =
        lastDecision == null || !now.isBefore(lastDecision.plus(settings.pollingInterval()));
    if (!due && !waitingAtZero && !bursting(now, current)) {
      return Optional.empty();
    }
    lastDecision = now;
    return Optional.of(decide(now, current));
  }

  /**
   * Whether the panic window wants {@code panicThreshold} × the current replicas or more, or, in
   * panic, more than the current replicas: scaling up for a burst does not wait for the poll.
   */
  private boolean bursting(Instant now, int current) {
    if (current >= settings.maxReplicas()) {
      return false;
    }
    int panicWant =
        replicasFor(window.average(now, settings.panicWindow()), settings.targetPerReplica());
    return panicking
        ? panicWant > current
        : panicWant >= settings.panicThreshold() * Math.max(1, current);
  }

  private ScaleDecision decide(Instant now, int current) {
    double target = settings.targetPerReplica();
    double stable = window.average(now, settings.stableWindow());
    double burst = window.average(now, settings.panicWindow());
    int stableWant = replicasFor(stable, target);
    int panicWant = replicasFor(burst, target);
    // Knative: panic when the panic window wants panicThreshold × the ready replicas (at least 1).
    if (panicWant >= settings.panicThreshold() * Math.max(1, current)) {
      if (!panicking) {
        panicking = true;
        panicReplicas = current;
      }
      lastBurst = now;
    } else if (panicking && !now.isBefore(lastBurst.plus(settings.stableWindow()))) {
      panicking = false;
    }
    int want;
    double load;
    if (panicking) {
      panicReplicas = Math.max(panicReplicas, panicWant); // in panic, never scale down
      want = panicReplicas;
      load = burst;
    } else {
      want = stableWant;
      load = stable;
    }
    if (current == 0 && window.latest() > 0) {
      // Requests held at zero replicas are the load itself: averaging them with the idle seconds
      // before would start too few replicas for a burst.
      want = Math.max(want, replicasFor(window.latest(), target));
      load = Math.max(load, window.latest());
    }
    Duration idle = Duration.between(lastBusy, now);
    boolean cooledDown = window.latest() == 0 && idle.compareTo(settings.cooldownPeriod()) >= 0;
    StringBuilder why = new StringBuilder();
    if (cooledDown && !panicking) {
      want = 0;
      why.append("no requests for ").append(seconds(idle)).append(" (cooldownPeriod ");
      why.append(seconds(settings.cooldownPeriod())).append(')');
    } else {
      why.append(number(load)).append(" in flight over ").append(number(target));
      why.append(" per replica");
      if (panicking) {
        why.append(" (panic)");
      }
      if (want == 0 && current > 0) {
        want = 1; // the last replica stays until the cooldownPeriod passes without requests
        why.append("; the last replica waits for ").append(seconds(settings.cooldownPeriod()));
        why.append(" without requests (cooldownPeriod)");
      }
    }
    if (want > settings.maxReplicas()) {
      want = settings.maxReplicas();
      why.append("; capped at maxReplicas ").append(want);
    } else if (want < settings.minReplicas()) {
      want = settings.minReplicas();
      why.append("; held at minReplicas ").append(want);
    }
    String head =
        want == current
            ? "Unchanged " + current
            : (want > current ? "ScaledUp " : "ScaledDown ") + current + "→" + want;
    return new ScaleDecision(current, want, panicking, head + ": " + why);
  }

  /** Replicas for {@code load}: rounded up, so no replica carries more than the target. */
  private static int replicasFor(double load, double target) {
    // A tolerance keeps 20.000000001 (floating-point sums) from asking for a third replica.
    return (int) Math.ceil(load / target - 1e-9);
  }

  private static String number(double value) {
    double rounded = Math.round(value * 10) / 10.0;
    return rounded == Math.rint(rounded)
        ? Long.toString((long) rounded)
        : String.format(Locale.ROOT, "%.1f", rounded);
  }

  private static String seconds(Duration d) {
    return d.toSeconds() + " s";
  }
}
