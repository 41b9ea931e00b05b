package dev.berth.ingress.internal;

import dev.berth.ingress.Backend;
import dev.berth.ingress.RequestLoad;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Chooses the replica for a request, round robin over a route's ready replicas, skipping those
 * being drained and those a retry already tried. The replica chosen is claimed in the {@link
 * RequestLoad}: whoever gets one releases it when the exchange with it ends. Thread-safe.
 */
final class ReplicaPicker {

  private final RequestLoad load;
  private final AtomicInteger next = new AtomicInteger();

  ReplicaPicker(RequestLoad load) {
    this.load = load;
  }

  /** A claimed replica of {@code backends} not in {@code tried}, or null when there is none. */
  Backend pick(List<Backend> backends, Collection<Backend> tried) {
    int n = backends.size();
    if (n == 0) {
      return null;
    }
    int start = next.getAndIncrement();
    for (int i = 0; i < n; i++) {
      Backend b = backends.get(Math.floorMod(start + i, n));
      if (!tried.contains(b) && load.claim(b.host())) {
        return b;
      }
    }
    return null;
  }

  /** Claims {@code backend} itself (a sticky client's): false when it drains. */
  boolean claim(Backend backend) {
    return load.claim(backend.host());
  }

  /** The exchange with {@code backend} ended. */
  void release(Backend backend) {
    load.release(backend.host());
  }
}
