package dev.berth.autoscaler;

import static dev.berth.autoscaler.Load.after;
import static dev.berth.autoscaler.Load.arrive;
import static dev.berth.autoscaler.Load.decidedAt;
import static dev.berth.autoscaler.Load.inFlight;
import static dev.berth.autoscaler.Load.noisy;
import static dev.berth.autoscaler.Load.onlyDown;
import static dev.berth.autoscaler.Load.onlyUp;
import static dev.berth.autoscaler.Load.replicas;
import static dev.berth.autoscaler.Load.running;
import static dev.berth.autoscaler.Load.said;
import static dev.berth.autoscaler.Load.saidOnTheWay;
import static dev.berth.autoscaler.Load.settings;
import static dev.berth.autoscaler.Load.unchanged;

import dev.berth.testing.TableTest;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The autoscaler as a table: a revision under this load, observed once a second, ends with these
 * replicas for these reasons. ACA's defaults (10 requests per replica, 0–10 replicas, cooldown 300
 * s) and Knative's windows (60 s stable, 6 s panic, panic at 2×), deciding every 2 s unless a row
 * says otherwise.
 */
class AutoscalerTableTest {

  @TestFactory
  Stream<DynamicTest> decisions() {
    TableTest<Load> table = TableTest.of(Load::new);

    table
        .row("steady load within the target keeps one replica")
        .given(running(1))
        .when(inFlight(8, 120))
        .then(replicas(1), unchanged(), said("Unchanged 1: 8 in flight over 10 per replica"));

    table
        .row("a step up past twice the replicas panics and scales out within seconds")
        .given(running(1))
        .when(inFlight(10, 60))
        .then(replicas(1), unchanged())
        .when(inFlight(34, 20))
        .then(
            onlyUp(),
            after(0, 2),
            saidOnTheWay("ScaledUp 1→2: 14 in flight over 10 per replica (panic)"),
            after(6, 4),
            replicas(4));

    table
        .row("a step down lowers replicas with the stable window, gradually, never back up")
        .given(running(4))
        .when(inFlight(34, 120))
        .then(replicas(4), unchanged())
        .when(inFlight(5, 120))
        .then(onlyDown(), after(6, 4), after(48, 2), replicas(1));

    table
        .row("in panic no scale-down: a burst keeps its replicas a stable window after it")
        .given(running(1))
        .when(inFlight(40, 10))
        .then(replicas(4), saidOnTheWay("ScaledUp 1→4: 40 in flight over 10 per replica (panic)"))
        .when(inFlight(5, 60))
        .then(onlyDown(), after(49, 4), replicas(1));

    table
        .row("noisy load around two replicas' worth never flaps")
        .given(running(2))
        .when(noisy(15, 25, 300))
        .then(replicas(2), unchanged());

    table
        .row("idle goes to zero after the cooldownPeriod without requests, not before")
        .given(running(1))
        .when(inFlight(5, 10))
        .then(replicas(1))
        .when(inFlight(0, 299))
        .then(
            replicas(1),
            said(
                "Unchanged 1: 0 in flight over 10 per replica; the last replica waits for 300 s"
                    + " without requests (cooldownPeriod)"))
        .when(inFlight(0, 2))
        .then(replicas(0), said("ScaledDown 1→0: no requests for 300 s (cooldownPeriod 300 s)"));

    table
        .row("several replicas come down one by one, then the last after the cooldown")
        .given(running(3))
        .when(inFlight(30, 60), inFlight(0, 120))
        .then(onlyDown(), replicas(1))
        .when(inFlight(0, 200))
        .then(replicas(0));

    table
        .row("a shorter cooldownPeriod (Berth's config) scales to zero sooner")
        .given(settings("cooldown 20 s", s -> s.withCooldownPeriod(Duration.ofSeconds(20))))
        .given(running(1))
        .when(inFlight(3, 5), inFlight(0, 19))
        .then(replicas(1))
        .when(inFlight(0, 4))
        .then(replicas(0));

    table
        .row("minReplicas is the floor, also when idle past the cooldown")
        .given(settings("min 2", s -> s.withReplicas(2, 10)), running(2))
        .when(inFlight(0, 400))
        .then(
            replicas(2),
            said(
                "Unchanged 2: no requests for 398 s (cooldownPeriod 300 s); held at minReplicas 2"));

    table
        .row("maxReplicas caps a burst")
        .given(running(1))
        .when(inFlight(500, 20))
        .then(
            replicas(10),
            said(
                "Unchanged 10: 500 in flight over 10 per replica (panic); capped at maxReplicas 10"));

    table
        .row("a request at zero replicas is decided on at once: 0 → 1 (the activator's case)")
        .given(running(0))
        .when(inFlight(0, 401))
        .then(replicas(0))
        .when(arrive(1))
        .then(replicas(1), said("ScaledUp 0→1: 1 in flight over 10 per replica"));

    table
        .row("34 requests held at zero start four replicas at once")
        .given(running(0))
        .when(inFlight(0, 401), arrive(34))
        .then(replicas(4), said("ScaledUp 0→4: 34 in flight over 10 per replica"));

    table
        .row("decisions wait for the pollingInterval (ACA's 30 s)")
        .given(settings("polling 30 s", s -> s.withPollingInterval(Duration.ofSeconds(30))))
        .given(running(1))
        .when(inFlight(34, 61))
        .then(decidedAt(0L, 30L, 60L), replicas(4));

    table
        .row("a utilisation of 0.7 (Knative's headroom) aims at 7 per replica")
        .given(settings("70 %", s -> s.withConcurrentRequests(10, 0.7)), running(2))
        .when(inFlight(10, 120))
        .then(replicas(2), said("Unchanged 2: 10 in flight over 7 per replica"));

    for (int[] c : new int[][] {{1, 1}, {10, 1}, {11, 2}, {20, 2}, {21, 3}, {99, 10}}) {
      table
          .row("rounding up: " + c[0] + " in flight over 10 per replica want " + c[1])
          .given(running(c[1]))
          .when(inFlight(c[0], 120))
          .then(replicas(c[1]), unchanged());
    }
    return table.tests();
  }
}
