package dev.berth.server.limits;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.NanoTime;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes connections that take too long to present a request: the TLS handshake and the first
 * request's headers must arrive within the deadline of the accept, a later request's headers within
 * the deadline of its first byte. Jetty has only idle timeouts, which a client sending a byte now
 * and then (slowloris) never trips. Once a second it looks at every connection of every listener of
 * the server (the parser's state is read from another thread: a stale read costs at most one more
 * second). Thread-safe.
 */
final class RequestHeaderDeadline extends AbstractLifeCycle implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(RequestHeaderDeadline.class);
  private static final long SWEEP_MILLIS = 1000;
  private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(30);

  private final Server server;
  private final long deadlineMillis;
  private final AtomicLong closed = new AtomicLong();
  private volatile Scheduler.Task next;
  private long closedAtLastLog;
  private long lastLog = NanoTime.now();

  RequestHeaderDeadline(Server server, Duration deadline) {
    this.server = server;
    this.deadlineMillis = deadline.toMillis();
  }

  /** Connections closed so far for missing the deadline. */
  long closed() {
    return closed.get();
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
      next = server.getScheduler().schedule(this, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void run() {
    try {
      long now = System.currentTimeMillis();
      for (Connector connector : server.getConnectors()) {
        for (EndPoint endPoint : connector.getConnectedEndPoints()) {
          if (late(endPoint, now)) {
            closed.incrementAndGet();
            endPoint.close(
                new TimeoutException("no request headers within " + deadlineMillis + " ms"));
          }
        }
      }
      logNow();
    } catch (RuntimeException e) {
      LOG.warn("checking request header deadlines failed", e);
    } finally {
      schedule();
    }
  }

  private boolean late(EndPoint endPoint, long nowMillis) {
    HttpConnection http = httpOf(endPoint.getConnection());
    if (http == null) {
      return false;
    }
    if (http.getMessagesIn() == 0) {
      // The handshake and the first request's headers, from the accept.
      return nowMillis - endPoint.getCreatedTimeStamp() > deadlineMillis;
    }
    HttpParser parser = http.getParser();
    long begin = parser.getBeginNanoTime();
    return parser.inHeaderState() && begin != 0 && NanoTime.millisSince(begin) > deadlineMillis;
  }

  private static HttpConnection httpOf(Connection connection) {
    if (connection instanceof HttpConnection http) {
      return http;
    }
    if (connection instanceof SslConnection tls
        && tls.getSslEndPoint().getConnection() instanceof HttpConnection http) {
      return http;
    }
    return null;
  }

  private void logNow() {
    long total = closed.get();
    if (total != closedAtLastLog && NanoTime.since(lastLog) > LOG_EVERY_NANOS) {
      LOG.info(
          "closed {} connections that sent no complete request headers within {} ms ({} in all)",
          total - closedAtLastLog,
          deadlineMillis,
          total);
      closedAtLastLog = total;
      lastLog = NanoTime.now();
    }
  }
}
