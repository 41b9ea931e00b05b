package dev.berth.reconciler.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A keyed work queue for level-triggered reconcilers: a key submitted many times runs once; a key
 * never runs twice at the same time (one submitted while it runs runs again afterwards); each run
 * is on its own virtual thread, so slow keys (an image pull) do not hold up others. Runs can be
 * asked for later ({@link #submitAfter}), which is how back-off and probe periods are scheduled.
 */
public final class WorkQueue<K> implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WorkQueue.class);

  private final Consumer<K> work;
  private final Clock clock;
  private final DelayQueue<Due<K>> timers = new DelayQueue<>();
  private final Set<K> running = new HashSet<>();
  private final Set<K> again = new HashSet<>();
  private final Map<K, Instant> earliestTimer = new HashMap<>();
  private final Thread timerThread;
  private volatile boolean closed;

  public WorkQueue(String name, Consumer<K> work, Clock clock) {
    this.work = work;
    this.clock = clock;
    this.timerThread = Thread.ofVirtual().name(name + "-timers").start(this::fireTimers);
  }

  /** Runs the work for {@code key} now, or right after its current run. */
  public void submit(K key) {
    synchronized (this) {
      if (closed) {
        return;
      }
      if (running.contains(key)) {
        again.add(key);
        return;
      }
      running.add(key);
    }
    Thread.ofVirtual().name("reconcile-" + key).start(() -> run(key));
  }

  /** Runs the work for {@code key} after {@code delay}; an earlier timer for it wins. */
  public void submitAfter(K key, Duration delay) {
    Instant due = clock.instant().plus(delay);
    synchronized (this) {
      Instant known = earliestTimer.get(key);
      if (known != null && !known.isAfter(due) && known.isAfter(clock.instant())) {
        return;
      }
      earliestTimer.put(key, due);
    }
    timers.add(new Due<>(key, System.nanoTime() + delay.toNanos()));
  }

  private void run(K key) {
    while (true) {
      try {
        work.accept(key);
      } catch (RuntimeException | Error e) {
        log.warn("reconciling {} failed; retrying in 5 s", key, e);
        submitAfter(key, Duration.ofSeconds(5));
      }
      synchronized (this) {
        if (!again.remove(key) || closed) {
          running.remove(key);
          notifyAll();
          return;
        }
      }
    }
  }

  private void fireTimers() {
    while (!closed) {
      try {
        Due<K> due = timers.take();
        synchronized (this) {
          Instant known = earliestTimer.get(due.key);
          if (known != null && !known.isAfter(clock.instant())) {
            earliestTimer.remove(due.key);
          }
        }
        submit(due.key);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /**
   * Waits until no run is in progress: after {@link #close}, what a caller that must stop all that
   * the runs started (a replica a pass was starting) waits for before it looks.
   *
   * @return false when a run was still in progress after {@code timeout}
   */
  public synchronized boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!running.isEmpty()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    timerThread.interrupt();
  }

  private record Due<K>(K key, long atNanos) implements Delayed {
    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(atNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
      return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
    }
  }
}
