package dev.berth.ingress.internal;

import dev.berth.ingress.Activations;
import dev.berth.ingress.AppRoute;
import dev.berth.ingress.Backend;
import dev.berth.ingress.Caller;
import dev.berth.ingress.RouteTable;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Holds a request whose revision has no ready replica — at zero, or all its replicas starting or
 * draining — asks for the revision to be scaled up, and lets the request go to the first replica
 * that becomes ready, as Knative's activator does. Waiting is bounded twice: per revision (so a
 * flood at zero cannot hold every connection) and per request (a deadline). Runs on the request's
 * (virtual) thread. Thread-safe.
 */
final class Activator {

  /** How a held request ends. */
  sealed interface Outcome {}

  /** A replica is ready and claimed for the request. */
  record Ready(AppRoute route, Backend backend) implements Outcome {}

  /** The app cannot serve any more (its revision failed, or it is gone): answer with the route. */
  record Refused(Optional<AppRoute> route) implements Outcome {}

  /** No replica became ready before the deadline. */
  record TimedOut() implements Outcome {}

  /** Too many requests already wait for the revision. */
  record Full() implements Outcome {}

  private final RouteTable routes;
  private final Activations activations;
  private final ReplicaPicker picker;
  private final Duration deadline;
  private final int maxWaiting;
  private final ConcurrentHashMap<String, AtomicInteger> waiting = new ConcurrentHashMap<>();

  Activator(
      RouteTable routes,
      Activations activations,
      ReplicaPicker picker,
      Duration deadline,
      int maxWaiting) {
    this.routes = routes;
    this.activations = activations;
    this.picker = picker;
    this.deadline = deadline;
    this.maxWaiting = maxWaiting;
  }

  /**
   * Holds a request of {@code caller} for {@code host}, whose route {@code first} found no replica
   * to take it.
   */
  Outcome hold(String host, Caller caller, AppRoute first) throws InterruptedException {
    AtomicInteger count = waiting.computeIfAbsent(first.revision(), r -> new AtomicInteger());
    if (count.incrementAndGet() > maxWaiting) {
      count.decrementAndGet();
      return new Full();
    }
    try {
      return await(host, caller, first, System.nanoTime() + deadline.toNanos());
    } finally {
      count.decrementAndGet();
    }
  }

  private Outcome await(String host, Caller caller, AppRoute first, long deadlineNanos)
      throws InterruptedException {
    String asked = first.revision();
    activations.requested(asked);
    while (true) {
      // Taken before the route is read: a change in between completes it, and is not missed.
      CompletableFuture<Void> change = routes.nextChange();
      Optional<AppRoute> now = routes.route(host, caller);
      if (now.isEmpty() || now.get().cannotServe().isPresent()) {
        return new Refused(now);
      }
      AppRoute route = now.get();
      Backend backend = picker.pick(route.backends(), List.of());
      if (backend != null) {
        return new Ready(route, backend);
      }
      if (!route.revision().equals(asked) && route.activatable()) {
        asked = route.revision(); // the traffic table chose another revision this time
        activations.requested(asked);
      }
      long left = deadlineNanos - System.nanoTime();
      if (left <= 0) {
        return new TimedOut();
      }
      try {
        change.get(left, TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        return new TimedOut();
      } catch (ExecutionException e) {
        throw new IllegalStateException("a route change cannot fail", e);
      }
    }
  }
}
