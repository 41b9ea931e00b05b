package dev.berth.ingress;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The requests in flight through the ingress: per revision, as the autoscaler reads them (the count
 * now and its time-weighted mean since the last reading, as Knative's queue-proxy reports
 * concurrency), and per replica address, so a replica can be drained before it stops. A request
 * held by the activator counts for its revision: it is the load that scales the revision up.
 * Thread-safe.
 */
public final class RequestLoad {

  /** One revision's in-flight requests over time: their count and the area under it. */
  private static final class Concurrency {
    private long inFlight;
    private long changedAt;
    private long sampledAt;
    private double area;

    Concurrency(long now) {
      this.changedAt = now;
      this.sampledAt = now;
    }

    synchronized void add(long delta, long now) {
      area += (double) inFlight * (now - changedAt);
      changedAt = now;
      inFlight += delta;
    }

    synchronized Sample sample(long now) {
      add(0, now);
      long span = now - sampledAt;
      double mean = span > 0 ? area / span : inFlight;
      area = 0;
      sampledAt = now;
      return new Sample(mean, (int) inFlight);
    }
  }

  /**
   * One reading of a revision's load.
   *
   * @param mean the mean number of requests in flight since the previous reading
   * @param now the requests in flight at this instant (held ones included)
   */
  public record Sample(double mean, int now) {
    public static final Sample IDLE = new Sample(0, 0);
  }

  private final ConcurrentHashMap<String, Concurrency> revisions = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, AtomicInteger> addresses = new ConcurrentHashMap<>();
  private final Set<String> draining = ConcurrentHashMap.newKeySet();
  private final LongSupplier nanoTime;

  public RequestLoad() {
    this(System::nanoTime);
  }

  /** A load whose clock is {@code nanoTime} (tests). */
  public RequestLoad(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  /** A request for {@code revision} began (it may be held, or on its way to a replica). */
  public void started(String revision) {
    long now = nanoTime.getAsLong();
    Concurrency c = revisions.get(revision); // no lambda made on the way of every request
    if (c == null) {
      c = revisions.computeIfAbsent(revision, r -> new Concurrency(now));
    }
    c.add(1, now);
  }

  /** A request for {@code revision} ended, answered or not. */
  public void ended(String revision) {
    Concurrency c = revisions.get(revision);
    if (c != null) {
      c.add(-1, nanoTime.getAsLong());
    }
  }

  /**
   * Reads {@code revision}'s load and starts the next mean from now; a revision never requested
   * reads idle.
   */
  public Sample sample(String revision) {
    Concurrency c = revisions.get(revision);
    return c == null ? Sample.IDLE : c.sample(nanoTime.getAsLong());
  }

  /** Forgets a revision that is gone. */
  public void forget(String revision) {
    revisions.remove(revision);
  }

  /**
   * Claims a request to the replica at {@code address}: false, claiming nothing, when it drains. A
   * claim is counted before the drain flag is read, so {@link #drain} never misses one.
   */
  public boolean claim(String address) {
    AtomicInteger count = addresses.computeIfAbsent(address, a -> new AtomicInteger());
    count.incrementAndGet();
    if (draining.contains(address)) {
      count.decrementAndGet();
      return false;
    }
    return true;
  }

  /** A request to the replica at {@code address} ended. */
  public void release(String address) {
    AtomicInteger count = addresses.get(address);
    if (count != null) {
      count.decrementAndGet();
    }
  }

  /** Requests in flight to the replica at {@code address}. */
  public int inFlightTo(String address) {
    AtomicInteger count = addresses.get(address);
    return count == null ? 0 : count.get();
  }

  /**
   * Sends no new request to the replica at {@code address} and waits, at most {@code max}, until
   * those in flight to it end.
   *
   * @return whether every request ended in time
   * @throws InterruptedException when interrupted while waiting
   */
  public boolean drain(String address, Duration max) throws InterruptedException {
    draining.add(address);
    long deadline = nanoTime.getAsLong() + max.toNanos();
    long pause = 1;
    while (inFlightTo(address) > 0) {
      if (nanoTime.getAsLong() >= deadline) {
        return false;
      }
      Thread.sleep(pause);
      pause = Math.min(pause * 2, 50);
    }
    return true;
  }

  /**
   * A new replica has {@code address}: requests may go to it again. Its in-flight count is kept, so
   * a late end of a request to the replica that had the address before still balances its start.
   */
  public void drained(String address) {
    draining.remove(address);
  }

  /** Whether the replica at {@code address} is being drained. */
  public boolean isDraining(String address) {
    return draining.contains(address);
  }
}
