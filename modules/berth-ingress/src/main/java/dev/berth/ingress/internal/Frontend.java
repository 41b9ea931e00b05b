package dev.berth.ingress.internal;

import dev.berth.ingress.Caller;
import dev.berth.ingress.ConnectionLimits;
import io.netty.buffer.ByteBufHolder;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection of the ingress, or one stream of an HTTP/2 connection: takes each request's
 * head to the {@link Router}, answers for the ingress, holds a request in the activator (on a
 * virtual thread) while its revision starts, or sends it to a replica through an {@link Upstream}
 * and relays the answer, streaming bodies both ways with back-pressure. One request at a time, as
 * HTTP/1.1 answers in order; a pipelined one waits in {@code queued}. Bounds how long a request's
 * head may take, how long a kept connection may sit idle, and how long a request may take at its
 * replica (504, or the stream cut). A stream carries one request, reads as HTTP/1.1 messages
 * (Netty's stream codec converts them) and ends with its answer; its connection's idle time is
 * {@link Http2Connection}'s. Confined to the channel's event loop.
 */
// Netty's writes, closes and timers report failure through the pipeline (exceptionCaught,
// channelInactive) and the close listeners here, not through the futures they return.
@SuppressWarnings("FutureReturnValueIgnored")
final class Frontend extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(Frontend.class);

  private final Router router;
  private final Upstreams upstreams;
  private final ConnectionLimits limits;
  private final boolean secure;
  private final boolean stream; // one HTTP/2 stream, not a connection
  private final long firstHeadBy; // System.nanoTime() by which the first head must be in
  private final StreamClock streams; // a stream's: its connection's one clock; null on a connection
  private final ArrayDeque<Object> queued = new ArrayDeque<>();
  private ChannelHandlerContext ctx;
  // Writes past the encoder: relayed answers. Null on a stream, as is the encoder.
  private ChannelHandlerContext bytesOut;
  private ResponseEncoder encoder;
  private Caller caller; // a stream's is its connection's
  private String peer; // the caller's address as X-Forwarded-For names it, made once
  private Exchange x; // the request in flight, or null
  private ScheduledFuture<?> clock; // ticks every checkEvery while the connection is open
  private long headDeadline; // when the next request's head must have arrived; 0: none awaited
  private boolean inputEnded; // the client sent its last byte: answer what it asked, then close

  private Frontend(
      Router router,
      Upstreams upstreams,
      ConnectionLimits limits,
      boolean secure,
      long firstHeadBy,
      StreamClock streams,
      Caller caller) {
    this.router = router;
    this.upstreams = upstreams;
    this.limits = limits;
    this.secure = secure;
    this.stream = streams != null;
    this.firstHeadBy = firstHeadBy;
    this.streams = streams;
    this.caller = caller;
  }

  /**
   * For an HTTP/1.1 connection, after its decoder and {@link ResponseEncoder}.
   *
   * @param firstHeadBy the {@link System#nanoTime()} by which the first request's head must have
   *     arrived: the accept's plus the head deadline, the TLS handshake included
   */
  static Frontend connection(
      Router router,
      Upstreams upstreams,
      ConnectionLimits limits,
      boolean secure,
      long firstHeadBy) {
    return new Frontend(router, upstreams, limits, secure, firstHeadBy, null, null);
  }

  /**
   * For one stream of an HTTP/2 connection (over TLS when {@code secure}), after its codec. A
   * stream lives for one request: it takes its connection's caller and is checked by its
   * connection's clock ({@code streams}), where a timer of its own would be set and cancelled per
   * request.
   */
  static Frontend stream(
      Router router,
      Upstreams upstreams,
      ConnectionLimits limits,
      boolean secure,
      StreamClock streams,
      Caller caller) {
    // Its head opened it: it is read at once.
    long headBy = System.nanoTime() + limits.requestHeaderTimeout().toNanos();
    return new Frontend(router, upstreams, limits, secure, headBy, streams, caller);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    if (!stream) {
      this.bytesOut = ctx.pipeline().context(ResponseEncoder.class);
      this.encoder = (ResponseEncoder) bytesOut.handler();
    }
    if (caller == null) {
      this.caller =
          new Caller(
              (InetSocketAddress) ctx.channel().localAddress(),
              (InetSocketAddress) ctx.channel().remoteAddress());
    }
    this.peer = caller.peerAddress();
    if (streams != null) {
      streams.add(this);
    } else {
      long every = checkEvery(limits, router.settings().requestTimeout());
      clock = ctx.executor().scheduleAtFixedRate(this::tick, every, every, TimeUnit.NANOSECONDS);
    }
    headDeadline = firstHeadBy;
  }

  /** No more deadline checks: the connection or stream is done, or handed over. */
  private void stopClock() {
    if (streams != null) {
      streams.remove(this);
    } else {
      clock.cancel(false);
    }
  }

  /**
   * How often a connection checks its deadlines: a quarter of the shortest, between 10 ms and 1 s.
   * One repeating check per connection costs nothing per request, where a timer set and cancelled
   * for every request (its head, its answer) measured as a share of the ingress' time.
   */
  static long checkEvery(ConnectionLimits limits, Duration requestTimeout) {
    long shortest =
        Math.min(
            requestTimeout.toNanos(),
            Math.min(limits.requestHeaderTimeout().toNanos(), limits.idleTimeout().toNanos()));
    return Math.clamp(
        shortest / 4, Duration.ofMillis(10).toNanos(), Duration.ofSeconds(1).toNanos());
  }

  /** Closes a connection whose head is late, and ends a request whose replica is late. */
  void tick() {
    long now = System.nanoTime();
    Exchange exchange = x;
    if (exchange == null) {
      if (headDeadline != 0 && now - headDeadline >= 0 && queued.isEmpty()) {
        ctx.close();
      }
    } else if (exchange.deadlineNanos != 0 && now - exchange.deadlineNanos >= 0) {
      timedOut(exchange);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (x != null && (msg instanceof HttpRequest || !queued.isEmpty())) {
      queued.add(msg); // pipelined: answered in order, after the one in flight
      if (queued.size() > 64) {
        ctx.channel().config().setAutoRead(false); // read on once the queue is worked off
      }
      return;
    }
    dispatch(msg);
  }

  private void dispatch(Object msg) {
    if (msg instanceof HttpRequest request) {
      begin(request);
    }
    if (msg instanceof HttpContent content) {
      body(content);
    }
  }

  private void begin(HttpRequest request) {
    headDeadline = 0;
    if (stream) {
      RequestChecks.fromStream(request);
    } else {
      RequestChecks.toOriginForm(request);
    }
    Exchange exchange = new Exchange(request, Router.hostOf(request));
    x = exchange;
    if (encoder != null) {
      encoder.answering(exchange.head);
    }
    exchange.keepAlive = HttpUtil.isKeepAlive(request);
    exchange.http10 = request.protocolVersion().equals(HttpVersion.HTTP_1_0);
    if (request.decoderResult().isFailure()) {
      refuse(exchange, Replies.refused(request.decoderResult().cause()));
      return;
    }
    String refusal = RequestChecks.refusal(request);
    if (refusal != null) {
      refuse(exchange, Replies.badRequest(refusal));
      return;
    }
    if (HttpMethod.CONNECT.equals(request.method())) {
      refuse(exchange, Replies.noTunnel());
      return;
    }
    proceed(exchange, router.decide(exchange, caller, secure));
  }

  /**
   * A head the ingress will not forward: answered, its body (if any) unread, the connection closed.
   */
  private void refuse(Exchange exchange, FullHttpResponse answer) {
    exchange.keepAlive = false;
    exchange.requestEnded = true;
    answer(exchange, answer);
  }

  private void proceed(Exchange exchange, Router.Step step) {
    switch (step) {
      case ANSWER -> answer(exchange, exchange.answer);
      case HOLD -> hold(exchange);
      case FORWARD -> forward(exchange);
    }
  }

  /** The request's body: to its replica, held while it waits for one, or dropped. */
  private void body(HttpContent content) {
    Exchange exchange = x;
    if (exchange == null) {
      content.release(); // the rest of a body whose request was answered already
      return;
    }
    boolean last = content instanceof LastHttpContent;
    exchange.requestEnded |= last;
    if (exchange.upstream != null) {
      exchange.upstream.send(content);
    } else if (exchange.responseStarted || exchange.ended) {
      content.release();
    } else {
      exchange.hold(content);
    }
  }

  /** The request waits in the activator (on a virtual thread) for a replica of its revision. */
  private void hold(Exchange exchange) {
    ctx.channel().config().setAutoRead(false); // its body waits in the socket, not in memory
    long heldSince = System.nanoTime();
    Thread.ofVirtual()
        .name("ingress-activator")
        .start(
            () -> {
              Activator.Outcome outcome = router.hold(exchange, caller);
              ctx.executor()
                  .execute(
                      () -> {
                        if (x != exchange || !ctx.channel().isActive()) {
                          router.discard(outcome); // the client left meanwhile
                          return;
                        }
                        ctx.channel().config().setAutoRead(true);
                        proceed(exchange, router.resume(exchange, outcome, secure, heldSince));
                      });
            });
  }

  private void forward(Exchange exchange) {
    HttpRequest request = exchange.request;
    if (!stream && WebSocketTunnel.isUpgrade(request)) {
      WebSocketTunnel.open(ctx, exchange, caller, secure, upstreams, router, this);
      return;
    }
    HttpHeaders headers = request.headers();
    boolean trailers = exchange.route.policy().http2() && ForwardedHeaders.acceptsTrailers(headers);
    ForwardedHeaders.dropHopByHop(headers);
    if (trailers) {
      // The one TE an HTTP/2 request may carry (RFC 9113 §8.2.2); gRPC servers look for it.
      headers.set(HttpHeaderNames.TE, HttpHeaderValues.TRAILERS);
    }
    ForwardedHeaders.add(headers, peer, secure);
    request.setProtocolVersion(HttpVersion.HTTP_1_1);
    exchange.retryable = ReplicaRetry.retryable(request);
    exchange.deadlineNanos = System.nanoTime() + router.settings().requestTimeout().toNanos();
    send(exchange);
  }

  /** Sends the request (again, on a retry) to {@code exchange.backend}. */
  private void send(Exchange exchange) {
    Upstream up =
        upstreams.acquire(
            ctx.channel().eventLoop(), exchange.backend, exchange.route.policy().http2(), this);
    exchange.upstream = up;
    up.expect(exchange.head, !stream && relayable(exchange));
    up.send(exchange.request);
    if (exchange.held != null) {
      exchange.held.forEach(up::send);
      exchange.held = null;
    }
    if (exchange.retryable && exchange.requestEnded && exchange.tries > 1) {
      up.send(LastHttpContent.EMPTY_LAST_CONTENT);
    }
    up.flush();
  }

  /**
   * Whether the replica's answer may go to the client as the replica wrote it (when it is framed by
   * its length and names no hop-by-hop header: {@link AnswerDecoder}): the client speaks HTTP/1.1
   * (not HTTP/2, whose stream codec frames every answer) and keeps its connection, and the ingress
   * adds no header to the answer.
   */
  private static boolean relayable(Exchange exchange) {
    return !exchange.http10 && exchange.keepAlive && exchange.answerHeaders == null;
  }

  // ---- called by the Upstream --------------------------------------------------------------

  /** Whether the request's last byte went to the replica: only then may its connection be kept. */
  boolean requestSent() {
    return x != null && x.requestEnded;
  }

  void interim() {
    ctx.writeAndFlush(Replies.empty(HttpResponseStatus.CONTINUE));
  }

  void head(HttpResponse response) {
    Exchange exchange = x;
    exchange.status = response.status().code();
    exchange.relayed = false;
    HttpHeaders headers = response.headers();
    ForwardedHeaders.dropHopByHop(headers);
    if (exchange.answerHeaders != null) {
      headers.add(exchange.answerHeaders);
    }
    response.setProtocolVersion(HttpVersion.HTTP_1_1);
    boolean bodiless =
        exchange.status < 200 || exchange.status == 204 || exchange.status == 304 || exchange.head;
    if (exchange.http10) {
      // HTTP/1.0 has no chunked encoding: a body of unknown length ends with the connection.
      HttpUtil.setTransferEncodingChunked(response, false);
      if (!bodiless && !HttpUtil.isContentLengthSet(response)) {
        exchange.keepAlive = false;
      }
    } else if (!bodiless
        && !HttpUtil.isContentLengthSet(response)
        && !HttpUtil.isTransferEncodingChunked(response)) {
      HttpUtil.setTransferEncodingChunked(response, true); // the replica ends by closing
    }
    connection(exchange, headers);
    long length =
        bodiless ? 0 : HttpUtil.getContentLength(response, ReplicaRetry.MAX_HELD_ANSWER + 1);
    if (ReplicaRetry.holds(exchange, length)) {
      exchange.heldHead = response; // relayed at its end, or dropped for a retry
      return;
    }
    exchange.responseStarted = true;
    write(exchange, response);
  }

  /** An answer that goes on as the replica wrote it; its body follows as {@link #content}. */
  void head(RelayedHead head) {
    Exchange exchange = x;
    exchange.status = head.status;
    exchange.relayed = true;
    if (ReplicaRetry.holds(exchange, head.contentLength)) {
      exchange.heldHead = head; // relayed at its end, or dropped for a retry
      return;
    }
    exchange.responseStarted = true;
    bytesOut.write(head.content(), bytesOut.voidPromise());
  }

  void content(HttpContent content) {
    Exchange exchange = x;
    boolean last = content instanceof LastHttpContent;
    if (exchange.heldHead != null) {
      if (!last) {
        exchange.holdAnswer(content);
        return;
      }
      exchange.responseStarted = true;
      write(exchange, exchange.heldHead);
      if (exchange.heldBody != null) {
        exchange.heldBody.forEach(held -> write(exchange, held));
      }
      exchange.heldHead = null;
      exchange.heldBody = null;
    }
    write(exchange, content);
    if (!last) {
      return;
    }
    exchange.upstream = null;
    if (!exchange.requestEnded) {
      // The replica answered before the request's body ended: the rest is not read.
      exchange.keepAlive = false;
    }
    complete(exchange);
  }

  /** Writes part of the replica's answer: as bytes past the encoder if it is relayed as such. */
  private void write(Exchange exchange, Object part) {
    if (exchange.relayed) {
      bytesOut.write(((ByteBufHolder) part).content(), bytesOut.voidPromise());
    } else if (stream) {
      writeToStream(exchange, part);
    } else {
      ctx.write(part, ctx.voidPromise());
    }
  }

  /**
   * On an HTTP/2 stream, an answer's head waits for what follows it: when that is the answer's end,
   * empty and without trailers, both go as one HEADERS frame that ends the stream. A gRPC status
   * with no message ("trailers-only") must arrive so, or the client reads the stream as broken; and
   * a bodiless answer then costs no empty DATA frame.
   */
  private void writeToStream(Exchange exchange, Object part) {
    if (part instanceof HttpResponse head && !(part instanceof FullHttpResponse)) {
      exchange.streamHead = head;
      return;
    }
    HttpResponse head = exchange.streamHead;
    if (head != null) {
      exchange.streamHead = null;
      if (part instanceof LastHttpContent end
          && !end.content().isReadable()
          && end.trailingHeaders().isEmpty()) {
        end.release();
        ctx.write(
            new DefaultFullHttpResponse(
                head.protocolVersion(),
                head.status(),
                Unpooled.EMPTY_BUFFER,
                head.headers(),
                EmptyHttpHeaders.INSTANCE),
            ctx.voidPromise());
        return;
      }
      ctx.write(head, ctx.voidPromise());
    }
    ctx.write(part, ctx.voidPromise());
  }

  void flush() {
    Exchange exchange = x;
    if (exchange != null && exchange.streamHead != null) {
      // Nothing more came in this read: the head goes now, its body when it comes.
      ctx.write(exchange.streamHead, ctx.voidPromise());
      exchange.streamHead = null;
    }
    ctx.flush();
  }

  /** The client can take more, or not: reading from the replica follows. */
  void readable(boolean read) {
    ctx.channel().config().setAutoRead(read);
  }

  /** The replica failed before the answer's end. */
  void upstreamFailed(Throwable cause) {
    Exchange exchange = x;
    if (exchange == null || exchange.ended) {
      return;
    }
    exchange.upstream = null;
    exchange.dropHeldAnswer();
    if (exchange.responseStarted) {
      LOG.debug("replica {} failed mid-answer: {}", exchange.backend, cause.toString());
      ctx.close(); // the client sees its answer cut, as it was
      return;
    }
    long pause = ReplicaRetry.next(exchange, router.picker(), cause);
    if (pause == 0) {
      send(exchange);
    } else if (pause > 0) {
      ctx.executor()
          .schedule(
              () -> {
                if (x == exchange && !exchange.ended) {
                  send(exchange);
                }
              },
              pause,
              TimeUnit.MILLISECONDS);
    } else {
      LOG.debug("replica {} failed: {}", exchange.backend, cause.toString());
      answer(exchange, Replies.badGateway(exchange.route.app(), cause));
    }
  }

  // ---- ends ---------------------------------------------------------------------------------

  private void timedOut(Exchange exchange) {
    if (x != exchange || exchange.ended) {
      return;
    }
    if (exchange.upstream != null) {
      exchange.upstream.abandon();
      exchange.upstream = null;
    }
    exchange.dropHeldAnswer();
    if (exchange.responseStarted) {
      ctx.close(); // the stream is cut at Container Apps' timeout
      return;
    }
    exchange.keepAlive = false;
    answer(
        exchange, Replies.gatewayTimeout(exchange.route.app(), router.settings().requestTimeout()));
  }

  /**
   * The ingress' own answer. A body still on its way in is not read: the connection closes. A
   * request that has none (no length, not chunked) keeps it, though its end (Netty's empty last
   * content) is read only after this: it finds no exchange and is dropped.
   */
  void answer(Exchange exchange, FullHttpResponse answer) {
    exchange.responseStarted = true;
    exchange.status = answer.status().code();
    if (exchange.answerHeaders != null) {
      answer.headers().add(exchange.answerHeaders);
    }
    HttpUtil.setContentLength(answer, answer.content().readableBytes());
    exchange.dropHeld();
    if (!exchange.requestEnded && Exchange.hasBody(exchange.request)) {
      exchange.keepAlive = false;
    }
    connection(exchange, answer.headers());
    ctx.write(answer);
    complete(exchange);
  }

  /**
   * Says whether the connection stays: {@code close} when it does not; {@code keep-alive} when it
   * does and the client speaks HTTP/1.0, which keeps a connection only when told (RFC 9112 §9.3).
   */
  private static void connection(Exchange exchange, HttpHeaders headers) {
    if (!exchange.keepAlive) {
      headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    } else if (exchange.http10) {
      headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
  }

  /** The exchange is over: the next request, or the connection's close. */
  void complete(Exchange exchange) {
    router.end(exchange);
    x = null;
    if (stream) {
      // The answer's end ended the stream. A request body still on its way is not wanted: the
      // close resets the stream, as RFC 9113 §8.1 lets a server that answered early.
      ctx.flush();
      if (!exchange.keepAlive) {
        ctx.close();
      }
      return;
    }
    if (!exchange.keepAlive) {
      ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    ctx.flush();
    awaitHead(limits.idleTimeout());
    if (!ctx.channel().config().isAutoRead()) {
      ctx.channel().config().setAutoRead(true);
    }
    // The next request, and its body (which must reach the replica for it to answer).
    while (!queued.isEmpty() && !(x != null && queued.peek() instanceof HttpRequest)) {
      dispatch(queued.poll());
    }
    if (inputEnded && x == null && queued.isEmpty()) {
      ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof ChannelInputShutdownEvent) {
      inputEnded = true;
      if (x == null && queued.isEmpty()) {
        ctx.close();
      }
      return;
    }
    ctx.fireUserEventTriggered(event);
  }

  /** Taken out before its first request (the connection turned out to speak HTTP/2). */
  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    stopClock();
  }

  /** The connection is handed to a WebSocket tunnel: nothing more of this handler's. */
  void handedOver() {
    stopClock();
    x = null;
  }

  /** Closes the connection unless a request's head arrives within {@code timeout}. */
  private void awaitHead(Duration timeout) {
    headDeadline = System.nanoTime() + timeout.toNanos();
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    // One flush per read: a request's head and its end usually arrive together.
    if (x != null && x.upstream != null) {
      x.upstream.flush();
    }
    ctx.fireChannelReadComplete();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    // Back-pressure: a slow client stops the replica's connection from being read.
    if (x != null && x.upstream != null) {
      x.upstream.readable(ctx.channel().isWritable());
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    stopClock();
    Exchange exchange = x;
    x = null;
    if (exchange != null) {
      if (exchange.upstream != null) {
        exchange.upstream.abandon(); // the client left mid-exchange: not reusable
      }
      exchange.dropHeld();
      exchange.dropHeldAnswer();
      if (!exchange.responseStarted) {
        exchange.status = 499; // nginx's "client closed request": nobody got an answer
      }
      router.end(exchange);
    }
    queued.forEach(ReferenceCountUtil::release);
    queued.clear();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("ingress connection from {}: {}", caller.peerAddress(), cause.toString());
    ctx.close();
  }
}
