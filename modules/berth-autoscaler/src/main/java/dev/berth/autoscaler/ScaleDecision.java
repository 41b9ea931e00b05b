package dev.berth.autoscaler;

/**
 * One decision of a revision's autoscaler: how many replicas it had and should have, and a one-line
 * reason in the words of the event it becomes ({@code ScaledUp 1→4: 34 in flight over 10 per
 * replica}). Immutable.
 *
 * @param from the replicas the revision had when the decision was made
 * @param to the replicas it should have
 * @param panic whether the panic window decided (a burst; no scale-down until it passes)
 * @param reason the event's message, starting with its {@link #kind()}
 */
public record ScaleDecision(int from, int to, boolean panic, String reason) {

  /** The event reason: {@code ScaledUp}, {@code ScaledDown} or {@code Unchanged}. */
  public String kind() {
    return to > from ? "ScaledUp" : to < from ? "ScaledDown" : "Unchanged";
  }

  /** True when the replica count should change. */
  public boolean changes() {
    return to != from;
  }
}
