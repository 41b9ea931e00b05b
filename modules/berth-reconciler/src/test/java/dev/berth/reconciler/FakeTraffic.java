package dev.berth.reconciler;

import dev.berth.api.ResourceId;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The ingress as the reconciler sees it, in a test: a row sets each revision's requests in flight
 * and reads which replica addresses were drained, and for how long at most. Thread-safe.
 */
final class FakeTraffic implements RevisionTraffic {

  /** One drain the reconciler asked for. */
  record Drain(String address, Duration max) {}

  private final Map<String, Load> loads = new ConcurrentHashMap<>();
  final List<Drain> drains = new CopyOnWriteArrayList<>();
  final List<String> assigned = new CopyOnWriteArrayList<>();

  /** From now on, {@code revision} reads {@code inFlight} requests, on average and now. */
  void inFlight(ResourceId revision, int inFlight) {
    loads.put(revision.key(), new Load(inFlight, inFlight));
  }

  @Override
  public Load read(ResourceId revision) {
    return loads.getOrDefault(revision.key(), Load.IDLE);
  }

  @Override
  public void drain(String address, Duration max) {
    drains.add(new Drain(address, max));
  }

  @Override
  public void assigned(String address) {
    assigned.add(address);
  }
}
