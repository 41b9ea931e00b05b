package dev.berth.server.limits;

import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives back the memory a surge of connections held, once it is over: when the open connections
 * have fallen from at least {@code surge} to a quarter of that and stayed there for 5 s, it empties
 * the buffer pool and asks for one full garbage collection. The surge's TLS buffers are direct
 * buffers outside the heap that only a collection frees, and the buffer pool dropped them in the
 * old generation, which the serial collector of {@code bin/berth} may not collect for hours (a 5
 * 000-connection flood left 48 MB of them). Jetty has nothing for this. Thread-safe (runs on the
 * server's scheduler).
 */
final class AfterSurge extends AbstractLifeCycle implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(AfterSurge.class);
  private static final long CHECK_MILLIS = 1000;
  private static final int QUIET_CHECKS = 5;

  private final Server server;
  private final IntSupplier connections;
  private final int surge;
  private volatile Scheduler.Task next;
  private int peak;
  private int quiet;
  private int collections;

  AfterSurge(Server server, IntSupplier connections, int surge) {
    this.server = server;
    this.connections = connections;
    this.surge = Math.max(1, surge);
  }

  /** Collections asked for so far. */
  synchronized int collections() {
    return collections;
  }

  @Override
  protected void doStart() {
    schedule();
  }

  @Override
  protected void doStop() {
    Scheduler.Task task = next;
    if (task != null) {
      task.cancel();
    }
  }

  private void schedule() {
    if (isRunning() || isStarting()) {
      next = server.getScheduler().schedule(this, CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void run() {
    try {
      check(connections.getAsInt());
    } finally {
      schedule();
    }
  }

  /** One look at the open connections; visible for the test. */
  synchronized boolean check(int open) {
    peak = Math.max(peak, open);
    if (peak < surge || open > surge / 4) {
      quiet = 0;
      return false;
    }
    if (++quiet < QUIET_CHECKS) {
      return false;
    }
    long pooled = 0;
    if (server.getByteBufferPool() instanceof ArrayByteBufferPool pool) {
      // The pool keeps what it may (its cap is checked only as buffers come back, and not by two
      // threads at once), so it can hold more than its cap when a surge ends: let it start over.
      pooled = pool.getDirectMemory();
      pool.clear();
    }
    LOG.info(
        "connections fell from {} to {}: giving back the buffers they held ({} KiB pooled direct"
            + " buffers, one full GC)",
        peak,
        open,
        pooled / 1024);
    collections++;
    peak = open;
    quiet = 0;
    System.gc();
    return true;
  }
}
