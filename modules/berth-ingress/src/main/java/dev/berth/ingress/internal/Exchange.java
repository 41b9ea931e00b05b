package dev.berth.ingress.internal;

import dev.berth.ingress.AppRoute;
import dev.berth.ingress.Backend;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.List;

/**
 * One request through the ingress, from its head to the end of its answer: the route it found, the
 * replica it claimed, what its answer must carry, and how far each side has got. Confined to its
 * client connection's event loop; the activator hands its outcome back there.
 */
final class Exchange {

  final HttpRequest request;

  /** The host the client named, lower case, without port or trailing dot; empty if none. */
  final String host;

  final long startedNanos = System.nanoTime();

  /** Headers the answer gets whatever gives it: CORS, the affinity cookie. */
  final HttpHeaders answerHeaders = new DefaultHttpHeaders(false);

  /** The request's body as it arrived while no replica was chosen yet (the activator held it). */
  final List<HttpContent> held = new ArrayList<>(2);

  /** Replicas a retry must not go back to. */
  final List<Backend> tried = new ArrayList<>(1);

  boolean keepAlive;
  AppRoute route; // null: no app has the host
  FullHttpResponse answer; // the ingress' own answer, when it gives one
  boolean observed; // the observer was told it started
  String counted; // the revision it is counted against in RequestLoad, or null
  Backend backend; // the replica claimed for it, or null
  boolean retryable;
  int tries = 1;
  long pauseMillis = ReplicaRetry.FIRST_PAUSE_MILLIS;
  Upstream upstream;
  ScheduledFuture<?> timeout;
  int status;
  boolean requestEnded;
  boolean responseStarted;
  boolean ended;

  Exchange(HttpRequest request, String host) {
    this.request = request;
    this.host = host;
  }
}
