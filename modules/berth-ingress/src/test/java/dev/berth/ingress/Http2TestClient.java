package dev.berth.ingress;

import dev.berth.testing.TestCa;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Frame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP/2 client on Netty's frame codec, over TLS with ALPN {@code h2} trusting the test CA (or
 * over plain TCP by prior knowledge): what the JDK's client does not show — trailers, resets, the
 * server's SETTINGS and GOAWAY — each test can read. One connection; closing it closes its event
 * loop.
 */
// A failed write shows as the stream's answer never coming (the test's deadline), not as a future.
@SuppressWarnings("FutureReturnValueIgnored")
final class Http2TestClient implements AutoCloseable {

  /** A stream's answer: its head, body and trailers, or the reset that ended it. */
  record Answer(Http2Headers headers, byte[] body, Http2Headers trailers, Http2ResetFrame reset) {
    String status() {
      return headers == null ? null : headers.status().toString();
    }
  }

  /** The frames of the connection itself (SETTINGS, PING, GOAWAY), in order. */
  final BlockingQueue<Object> connectionFrames = new LinkedBlockingQueue<>();

  private final NioEventLoopGroup group = new NioEventLoopGroup(1);
  private final Channel channel;

  /** Over TLS, choosing {@code h2} in ALPN. */
  Http2TestClient(int port) throws Exception {
    this(port, true);
  }

  /** Without TLS, by prior knowledge (h2c): the connection preface is its first bytes. */
  static Http2TestClient cleartext(int port) throws Exception {
    return new Http2TestClient(port, false);
  }

  private Http2TestClient(int port, boolean tls) throws Exception {
    SslContext ssl =
        SslContextBuilder.forClient()
            .trustManager(TestCa.get().trustManagers())
            .applicationProtocolConfig(
                new ApplicationProtocolConfig(
                    ApplicationProtocolConfig.Protocol.ALPN,
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                    ApplicationProtocolNames.HTTP_2))
            .build();
    channel =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    if (tls) {
                      ch.pipeline().addLast(ssl.newHandler(ch.alloc(), "localhost", port));
                    }
                    ch.pipeline()
                        .addLast(
                            // Sends what the server's SETTINGS forbid, for the server to refuse.
                            Http2FrameCodecBuilder.forClient()
                                .encoderIgnoreMaxHeaderListSize(true)
                                .build(),
                            new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()),
                            new ChannelInboundHandlerAdapter() {
                              @Override
                              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                connectionFrames.add(msg);
                              }
                            });
                  }
                })
            .connect("127.0.0.1", port)
            .sync()
            .channel();
  }

  /** Request headers for {@code method} {@code path} at {@code authority}, over https. */
  static Http2Headers headers(String method, String path, String authority) {
    return new DefaultHttp2Headers().method(method).path(path).scheme("https").authority(authority);
  }

  /** The same over plain HTTP. */
  static Http2Headers plainHeaders(String method, String path, String authority) {
    return headers(method, path, authority).scheme("http");
  }

  /** Sends a request on a new stream (a body, then trailers, when given); waits for its answer. */
  Answer exchange(Http2Headers headers, byte[] body, Http2Headers trailers) throws Exception {
    return send(headers, body, trailers).get(10, TimeUnit.SECONDS);
  }

  /** Sends a request on a new stream; its answer when it comes. */
  CompletableFuture<Answer> send(Http2Headers headers, byte[] body, Http2Headers trailers)
      throws InterruptedException {
    CompletableFuture<Answer> answer = new CompletableFuture<>();
    Http2StreamChannel stream =
        new Http2StreamChannelBootstrap(channel)
            .handler(new Collector(answer))
            .open()
            .sync()
            .getNow();
    boolean bodyless = body == null && trailers == null;
    stream.write(new DefaultHttp2HeadersFrame(headers, bodyless));
    if (body != null) {
      stream.write(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(body), trailers == null));
    }
    if (trailers != null) {
      stream.write(new DefaultHttp2HeadersFrame(trailers, true));
    }
    stream.flush();
    return answer;
  }

  /** Whether the server closed the connection within {@code seconds}. */
  boolean closesWithin(long seconds) throws InterruptedException {
    return channel.closeFuture().await(seconds, TimeUnit.SECONDS);
  }

  boolean isOpen() {
    return channel.isActive();
  }

  /** The next connection frame of {@code type} within 5 s, skipping others; null if none. */
  <T extends Http2Frame> T next(Class<T> type) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    for (long left; (left = end - System.nanoTime()) > 0; ) {
      Object frame = connectionFrames.poll(left, TimeUnit.NANOSECONDS);
      if (type.isInstance(frame)) {
        return type.cast(frame);
      }
    }
    return null;
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** Gathers one stream's frames into its {@link Answer}. */
  private static final class Collector extends SimpleChannelInboundHandler<Http2StreamFrame> {
    private final CompletableFuture<Answer> answer;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private Http2Headers head;

    Collector(CompletableFuture<Answer> answer) {
      this.answer = answer;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Http2StreamFrame frame) {
      boolean end = false;
      Http2Headers trailers = null;
      if (frame instanceof Http2HeadersFrame headers) {
        if (head == null || head.status().charAt(0) == '1') {
          head = headers.headers();
        } else {
          trailers = headers.headers();
        }
        end = headers.isEndStream();
      } else if (frame instanceof Http2DataFrame data) {
        body.writeBytes(ByteBufUtil.getBytes(data.content()));
        end = data.isEndStream();
      }
      if (end) {
        answer.complete(new Answer(head, body.toByteArray(), trailers, null));
      }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      if (event instanceof Http2ResetFrame reset) {
        answer.complete(new Answer(head, body.toByteArray(), null, reset));
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      answer.completeExceptionally(new IllegalStateException("the stream closed unanswered"));
    }
  }
}
