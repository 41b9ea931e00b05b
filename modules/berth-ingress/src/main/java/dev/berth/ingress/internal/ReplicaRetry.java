package dev.berth.ingress.internal;

import dev.berth.ingress.Backend;
import io.netty.handler.codec.http.HttpRequest;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;

/**
 * When a request that failed before any of its answer reached the client goes to a replica again: a
 * request with no body and an idempotent method goes to another ready replica (a short answer is
 * held until its end, so this holds even when its replica dies between head and body), up to
 * {@value #MAX_TRIES} tries, so that a replica that died or is being replaced costs a retry, not an
 * error. With no other replica, one that only dropped the connection (reset, refused, closed) is
 * tried again after a pause that doubles from {@value #FIRST_PAUSE_MILLIS} ms up to {@value
 * #MAX_PAUSE_MILLIS} ms (about 5.5 s in all): a burst that overflows an app's accept queue resets
 * connections (the replica's {@code tcp_abort_on_overflow}, docs/ingress.md), and the app takes
 * them as it catches up, with pauses far shorter than TCP's own backed-off retransmissions.
 * Stateless; thread-safe.
 */
final class ReplicaRetry {

  static final int MAX_TRIES = 10;
  static final long FIRST_PAUSE_MILLIS = 50;
  static final long MAX_PAUSE_MILLIS = 1_000;

  /**
   * The largest answer held back until its end, so that its replica may still fail it: about what
   * one read of the replica's connection takes in, so holding it costs no wait.
   */
  static final long MAX_HELD_ANSWER = 64 * 1024;

  /** Idempotent methods (RFC 9110 §9.2.2): sent twice, they do what sending them once does. */
  private static final Set<String> IDEMPOTENT =
      Set.of("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE");

  private ReplicaRetry() {}

  /** Whether {@code request} may be sent again: idempotent, and without a body. */
  static boolean retryable(HttpRequest request) {
    return IDEMPOTENT.contains(request.method().name()) && !Exchange.hasBody(request);
  }

  /**
   * Whether the ingress holds an answer of {@code length} bytes (0 when it has none) until its end
   * before relaying any of it: for a request that may be sent again, up to {@value
   * #MAX_HELD_ANSWER} bytes. A replica killed between its answer's head and its body then costs a
   * retry, not a cut answer. Streams (no length, or a long one) are relayed as they come.
   */
  static boolean holds(Exchange x, long length) {
    return x.retryable && length <= MAX_HELD_ANSWER;
  }

  /**
   * Chooses where {@code x} goes next after {@code failure} on its replica, and claims it.
   *
   * @return the pause before the next try in milliseconds (0: at once), or -1 for no retry; on a
   *     retry {@code x.backend} is the replica claimed for it, the failed one released
   */
  static long next(Exchange x, ReplicaPicker picker, Throwable failure) {
    if (!x.retryable || x.tries >= MAX_TRIES) {
      return -1;
    }
    Backend failed = x.backend;
    if (!x.tried().contains(failed)) {
      x.tried().add(failed);
    }
    Backend next = picker.pick(x.route.backends(), x.tried());
    long pause = 0;
    if (next == null && connectionLost(failure) && picker.claim(failed)) {
      next = failed;
      // Jitter: the requests of one burst failed together and must not come back together.
      pause = ThreadLocalRandom.current().nextLong(x.pauseMillis / 2, x.pauseMillis + 1);
      x.pauseMillis = Math.min(x.pauseMillis * 2, MAX_PAUSE_MILLIS);
    }
    if (next == null) {
      return -1;
    }
    x.tries++;
    picker.release(failed);
    x.backend = next;
    return pause;
  }

  /**
   * Whether the replica only dropped the connection (reset, refused, closed, or a connect that
   * timed out: a burst whose SYNs overflowed the app's queue) rather than took too long to answer:
   * trying a slow replica again would wait out the timeout twice. The request timeout itself ends
   * the exchange elsewhere (504), never here.
   */
  static boolean connectionLost(Throwable failure) {
    boolean io = false;
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof TimeoutException) {
        return false;
      }
      io |= t instanceof IOException;
    }
    return io;
  }
}
