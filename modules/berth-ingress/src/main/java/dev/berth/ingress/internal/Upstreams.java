package dev.berth.ingress.internal;

import dev.berth.ingress.Backend;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The ingress' connections to replicas. Each event loop keeps its own: idle HTTP/1.1 keep-alive
 * connections per replica, and one HTTP/2 connection per replica for {@code transport: http2} (h2c,
 * prior knowledge), each request a stream of it. A request borrows from its client connection's
 * event loop, so no lock is taken and no thread is crossed on the request path. Thread-safe: every
 * method runs on the event loop it is about.
 */
// Netty's writes, closes and timers report failure through the pipeline (exceptionCaught,
// channelInactive) and the close listeners here, not through the futures they return.
@SuppressWarnings("FutureReturnValueIgnored")
final class Upstreams {

  /**
   * A replica on the bridge connects in microseconds or refuses at once; 5 s covers a busy host.
   */
  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

  /**
   * How answers from apps are read: a bare LF ends a line too, as RFC 9112 §2.2 allows and as shell
   * CGI scripts write their headers (busybox httpd passes them on as they are). Requests from
   * clients are read strictly (Frontend's codec): the leniency is for the apps' side only.
   */
  static final HttpDecoderConfig LENIENT = new HttpDecoderConfig().setStrictLineParsing(false);

  private final Class<? extends Channel> channelType;

  private final FastThreadLocal<Map<Backend, ArrayDeque<Upstream>>> idle =
      new FastThreadLocal<>() {
        @Override
        protected Map<Backend, ArrayDeque<Upstream>> initialValue() {
          return new HashMap<>();
        }
      };

  private final FastThreadLocal<Map<Backend, ChannelFuture>> http2 =
      new FastThreadLocal<>() {
        @Override
        protected Map<Backend, ChannelFuture> initialValue() {
          return new HashMap<>();
        }
      };

  Upstreams(Class<? extends Channel> channelType) {
    this.channelType = channelType;
  }

  /** A way to {@code backend} for {@code front}'s exchange, on {@code loop} (the caller's). */
  Upstream acquire(EventLoop loop, Backend backend, boolean overHttp2, Frontend front) {
    return overHttp2 ? stream(loop, backend, front) : http11(loop, backend, front);
  }

  private Upstream http11(EventLoop loop, Backend backend, Frontend front) {
    ArrayDeque<Upstream> free = idle.get().get(backend);
    Upstream up;
    while (free != null && (up = free.pollLast()) != null) {
      if (up.isActive()) {
        up.begin(front); // a kept-alive connection, taken for a new exchange
        return up;
      }
    }
    AnswerDecoder decoder = new AnswerDecoder();
    Upstream fresh = new Upstream(this, backend, decoder);
    fresh.begin(front);
    connect(loop, backend, new HttpRequestEncoder(), decoder, fresh)
        .addListener((ChannelFutureListener) fresh::connected);
    return fresh;
  }

  /**
   * A fresh HTTP/1.1 connection to {@code backend} with {@code handlers}, kept by no pool: a
   * WebSocket handshake's, whose connection becomes the tunnel.
   */
  ChannelFuture connect(EventLoop loop, Backend backend, ChannelHandler... handlers) {
    return new Bootstrap()
        .group(loop)
        .channel(channelType)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
        .handler(
            new ChannelInitializer<>() {
              @Override
              protected void initChannel(Channel ch) {
                ch.pipeline().addLast(handlers);
              }
            })
        .connect(backend.host(), backend.port());
  }

  void release(Backend backend, Upstream up) {
    idle.get().computeIfAbsent(backend, b -> new ArrayDeque<>()).addLast(up);
  }

  void forget(Backend backend, Upstream up) {
    ArrayDeque<Upstream> free = idle.get().get(backend);
    if (free != null) {
      free.remove(up);
    }
  }

  private Upstream stream(EventLoop loop, Backend backend, Frontend front) {
    Map<Backend, ChannelFuture> connections = http2.get();
    ChannelFuture connection = connections.get(backend);
    if (connection == null || (connection.isDone() && !connection.channel().isActive())) {
      connection =
          connect(
              loop,
              backend,
              Http2FrameCodecBuilder.forClient()
                  .initialSettings(Http2Settings.defaultSettings().pushEnabled(false))
                  .build(),
              // Streams the replica would open (pushes) are refused: push is off.
              new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
      ChannelFuture made = connection;
      connections.put(backend, made);
      made.channel().closeFuture().addListener(f -> connections.remove(backend, made));
    }
    Upstream up = new Upstream(null, backend, null);
    up.begin(front);
    connection.addListener(
        (ChannelFutureListener)
            parent -> {
              if (!parent.isSuccess()) {
                up.connected(null, parent.cause());
                return;
              }
              new Http2StreamChannelBootstrap(parent.channel())
                  .handler(
                      new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                          ch.pipeline()
                              .addLast(
                                  new Http2StreamFrameToHttpObjectCodec(false),
                                  MessageParts.INSTANCE,
                                  up);
                        }
                      })
                  .open()
                  .addListener(
                      (GenericFutureListener<Future<Http2StreamChannel>>)
                          opened ->
                              up.connected(
                                  opened.isSuccess() ? opened.getNow() : null,
                                  opened.isSuccess() ? null : opened.cause()));
            });
    return up;
  }
}
