package dev.berth.autoscaler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testing.ManualClock;
import dev.berth.testing.TableTest.Step;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The autoscaler table's fixture and steps: a revision whose replicas follow every decision at once
 * (as a perfect reconciler would), fed one observation of in-flight requests per second. Not
 * thread-safe: one per row.
 */
final class Load {

  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  /** One decision and when, in seconds since the start, it was made. */
  record Made(long at, ScaleDecision decision) {}

  final ManualClock clock = new ManualClock(START);
  final List<Made> decisions = new ArrayList<>();
  ScaleSettings settings = ScaleSettings.defaults().withPollingInterval(Duration.ofSeconds(2));
  Autoscaler autoscaler;
  int replicas = 1;
  long markedAt;

  private Autoscaler autoscaler() {
    if (autoscaler == null) {
      autoscaler = Autoscaler.of(settings, START);
    }
    return autoscaler;
  }

  private long now() {
    return Duration.between(START, clock.instant()).toSeconds();
  }

  private void observe(int inFlight) {
    autoscaler().record(clock.instant(), inFlight);
    Optional<ScaleDecision> d = autoscaler().poll(clock.instant(), replicas);
    d.ifPresent(
        decision -> {
          decisions.add(new Made(now(), decision));
          replicas = decision.to();
        });
  }

  // ---- given ----------------------------------------------------------------------------------

  static Step<Load> settings(String what, UnaryOperator<ScaleSettings> change) {
    return Step.named(what, l -> l.settings = change.apply(l.settings));
  }

  static Step<Load> running(int replicas) {
    return Step.named("running " + replicas, l -> l.replicas = replicas);
  }

  // ---- when -----------------------------------------------------------------------------------

  /** {@code inFlight} requests seen each second for {@code seconds} seconds. */
  static Step<Load> inFlight(int inFlight, long seconds) {
    return Step.named(
        inFlight + " in flight for " + seconds + " s",
        l -> {
          l.markedAt = l.now();
          for (long s = 0; s < seconds; s++) {
            l.observe(inFlight);
            l.clock.advance(Duration.ofSeconds(1));
          }
        });
  }

  /** Alternating {@code low} and {@code high} each second for {@code seconds} seconds. */
  static Step<Load> noisy(int low, int high, long seconds) {
    return Step.named(
        low + "/" + high + " in flight for " + seconds + " s",
        l -> {
          l.markedAt = l.now();
          for (long s = 0; s < seconds; s++) {
            l.observe(s % 2 == 0 ? low : high);
            l.clock.advance(Duration.ofSeconds(1));
          }
        });
  }

  /** {@code inFlight} requests arrive now, with no time passing. */
  static Step<Load> arrive(int inFlight) {
    return Step.named(
        inFlight + " arrive",
        l -> {
          l.markedAt = l.now();
          l.observe(inFlight);
        });
  }

  // ---- then -----------------------------------------------------------------------------------

  static Step<Load> replicas(int expected) {
    return Step.named("replicas " + expected, l -> assertThat(l.replicas).isEqualTo(expected));
  }

  /** The last decision's reason, word for word. */
  static Step<Load> said(String reason) {
    return Step.named(
        "said " + reason,
        l ->
            assertThat(l.decisions.get(l.decisions.size() - 1).decision().reason())
                .isEqualTo(reason));
  }

  /** Some decision of the last step gave this reason. */
  static Step<Load> saidOnTheWay(String reason) {
    return Step.named(
        "said on the way " + reason,
        l -> assertThat(l.since()).extracting(m -> m.decision().reason()).contains(reason));
  }

  /** The last step changed nothing. */
  static Step<Load> unchanged() {
    return Step.named(
        "unchanged", l -> assertThat(l.since()).noneMatch(m -> m.decision().changes()));
  }

  /** During the last step, replicas only went down, or only up. */
  static Step<Load> onlyDown() {
    return Step.named(
        "only down",
        l -> assertThat(l.since()).allMatch(m -> m.decision().to() <= m.decision().from()));
  }

  static Step<Load> onlyUp() {
    return Step.named(
        "only up",
        l -> assertThat(l.since()).allMatch(m -> m.decision().to() >= m.decision().from()));
  }

  /** Replicas the last step's decisions had reached {@code seconds} into the step. */
  static Step<Load> after(long seconds, int expected) {
    return Step.named(
        expected + " replicas after " + seconds + " s",
        l -> {
          int at = l.since().isEmpty() ? l.replicas : l.since().get(0).decision().from();
          for (Made m : l.since()) {
            if (m.at() - l.markedAt <= seconds) {
              at = m.decision().to();
            }
          }
          assertThat(at).isEqualTo(expected);
        });
  }

  /** The seconds, since the step began, at which the last step's decisions were made. */
  static Step<Load> decidedAt(Long... seconds) {
    return Step.named(
        "decided at " + List.of(seconds),
        l -> assertThat(l.since()).extracting(m -> m.at() - l.markedAt).containsExactly(seconds));
  }

  private List<Made> since() {
    return decisions.stream().filter(m -> m.at() >= markedAt).toList();
  }
}
