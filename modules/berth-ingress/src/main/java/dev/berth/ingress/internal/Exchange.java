package dev.berth.ingress.internal;

import dev.berth.ingress.AppRoute;
import dev.berth.ingress.Backend;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;
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

  /** The request is a HEAD: its answer has no body, whatever its length says. */
  final boolean head;

  final long startedNanos = System.nanoTime();

  /** Headers the answer gets whatever gives it (CORS, the affinity cookie); null: none. */
  HttpHeaders answerHeaders;

  /** The request's body as it arrived while no replica was chosen yet; null: none. */
  List<HttpContent> held;

  /**
   * The replica's answer held until its end (its head, then its body so far), so that a replica
   * that dies mid-answer can still be retried ({@link ReplicaRetry#holds}): an {@link HttpResponse}
   * or a {@link RelayedHead}; null: none held.
   */
  Object heldHead;

  List<HttpContent> heldBody;

  /** Replicas a retry must not go back to; null: none yet. */
  List<Backend> tried;

  boolean keepAlive;
  boolean http10; // the client spoke HTTP/1.0: no chunked answers
  boolean relayed; // the answer goes on as the replica's bytes (RelayedHead), past the encoder
  AppRoute route; // null: no app has the host
  FullHttpResponse answer; // the ingress' own answer, when it gives one
  HttpResponse streamHead; // on an HTTP/2 stream: the answer's head, until what follows it is known
  boolean observed; // the observer was told it started
  String counted; // the revision it is counted against in RequestLoad, or null
  Backend backend; // the replica claimed for it, or null
  boolean retryable;
  int tries = 1;
  long pauseMillis = ReplicaRetry.FIRST_PAUSE_MILLIS;
  Upstream upstream;
  long deadlineNanos; // when the replica must have answered (System.nanoTime); 0: not sent yet
  int status;
  boolean requestEnded;
  boolean responseStarted;
  boolean ended;

  Exchange(HttpRequest request, String host) {
    this.request = request;
    this.host = host;
    this.head = HttpMethod.HEAD.equals(request.method());
  }

  /** Whether {@code request} has a body: a length above zero, or a transfer coding. */
  static boolean hasBody(HttpRequest request) {
    return HttpUtil.getContentLength(request, 0L) > 0
        || request.headers().contains(HttpHeaderNames.TRANSFER_ENCODING);
  }

  /** The headers the answer will get, made on first use: most requests have none. */
  HttpHeaders answerHeaders() {
    if (answerHeaders == null) {
      answerHeaders = new DefaultHttpHeaders(false);
    }
    return answerHeaders;
  }

  void hold(HttpContent content) {
    if (held == null) {
      held = new ArrayList<>(2);
    }
    held.add(content);
  }

  /** Gives back the body held for a replica, which no replica will get. */
  void dropHeld() {
    if (held != null) {
      held.forEach(HttpContent::release);
      held = null;
    }
  }

  void holdAnswer(HttpContent content) {
    if (heldBody == null) {
      heldBody = new ArrayList<>(2);
    }
    heldBody.add(content);
  }

  /** Forgets the answer held from a replica that failed before its end. */
  void dropHeldAnswer() {
    ReferenceCountUtil.release(heldHead);
    heldHead = null;
    if (heldBody != null) {
      heldBody.forEach(HttpContent::release);
      heldBody = null;
    }
  }

  List<Backend> tried() {
    if (tried == null) {
      tried = new ArrayList<>(1);
    }
    return tried;
  }
}
