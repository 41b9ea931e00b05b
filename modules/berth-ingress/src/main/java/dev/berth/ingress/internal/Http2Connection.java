package dev.berth.ingress.internal;

import dev.berth.ingress.Caller;
import dev.berth.ingress.ConnectionLimits;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;

/**
 * A client connection that chose HTTP/2: Netty's frame codec, each stream a child channel that
 * reads as HTTP/1.1 messages ({@link Http2StreamFrameToHttpObjectCodec}) and has a {@link Frontend}
 * of its own, so a stream is routed, held, proxied and answered as a request on an HTTP/1.1
 * connection is, and counted against the ingress' caps as a connection is ({@link
 * ConnectionGuard}). The connection's own bounds: at most {@link #MAX_STREAMS} streams at once, a
 * header list within the listener's head size, and closed (with a GOAWAY) when it has had no stream
 * open for the idle timeout, or none yet within the head deadline. Netty's codec bounds the rest:
 * resets per window (the "rapid reset" attack), queued control frames, empty data frames and small
 * CONTINUATION frames.
 */
final class Http2Connection {

  /** Streams open at once per connection (RFC 9113 §6.5.2 advises no fewer than 100). */
  static final int MAX_STREAMS = 100;

  private Http2Connection() {}

  /** Makes a stream's {@link Frontend}, given its connection's clock and caller. */
  @FunctionalInterface
  interface Streams {
    Frontend frontend(StreamClock streams, Caller caller);
  }

  /**
   * Adds HTTP/2 to {@code pipeline}; each stream gets the {@link Frontend} {@code frontends} makes.
   *
   * @param guard counts each stream against the caps on connections, as one
   * @param every how often the connection's one check runs (its idleness, its streams' deadlines),
   *     in nanoseconds
   * @param firstStreamBy the {@link System#nanoTime()} by which the first stream must have opened
   */
  static void install(
      ChannelPipeline pipeline,
      ConnectionLimits limits,
      ConnectionGuard guard,
      Streams frontends,
      long every,
      long firstStreamBy) {
    Caller caller =
        new Caller(
            (InetSocketAddress) pipeline.channel().localAddress(),
            (InetSocketAddress) pipeline.channel().remoteAddress());
    Http2FrameCodec codec =
        Http2FrameCodecBuilder.forServer()
            .initialSettings(
                Http2Settings.defaultSettings()
                    .maxConcurrentStreams(MAX_STREAMS)
                    .maxHeaderListSize(limits.maxRequestHeaderBytes()))
            .validateHeaders(true)
            .build();
    Idle idle = new Idle(codec, limits, every, firstStreamBy);
    pipeline.addLast(
        codec,
        new Http2MultiplexHandler(
            new ChannelInitializer<Http2StreamChannel>() {
              @Override
              protected void initChannel(Http2StreamChannel stream) {
                idle.busy();
                if (!guard.admit(stream)) {
                  return; // refused: over the ingress' caps, counted in requests
                }
                stream
                    .pipeline()
                    .addLast(
                        new Http2StreamFrameToHttpObjectCodec(true),
                        MessageParts.INSTANCE,
                        frontends.frontend(idle.streams, caller));
              }
            }),
        idle);
  }

  /**
   * Closes the connection once no stream has been open for the idle timeout (the head deadline
   * before its first stream), checking every {@code every} nanoseconds, and checks its open
   * streams' deadlines at the same time.
   */
  // Netty's closes report failure through the pipeline, not the futures they return.
  @SuppressWarnings("FutureReturnValueIgnored")
  private static final class Idle extends ChannelInboundHandlerAdapter {
    private final Http2FrameCodec codec;
    private final ConnectionLimits limits;
    private final long every;
    private final StreamClock streams = new StreamClock();
    private ScheduledFuture<?> clock;
    private long deadline;
    private boolean busy; // a stream opened since the last check

    Idle(Http2FrameCodec codec, ConnectionLimits limits, long every, long firstStreamBy) {
      this.codec = codec;
      this.limits = limits;
      this.every = every;
      this.deadline = firstStreamBy;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      clock =
          ctx.executor()
              .scheduleAtFixedRate(
                  () -> tick(ctx), every, every, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** A stream opened: called on the connection's event loop. */
    void busy() {
      busy = true;
    }

    private void tick(ChannelHandlerContext ctx) {
      streams.tick();
      long now = System.nanoTime();
      if (busy || codec.connection().numActiveStreams() > 0) {
        busy = false;
        deadline = now + limits.idleTimeout().toNanos();
      } else if (now - deadline >= 0) {
        ctx.close(); // the codec says GOAWAY first
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      clock.cancel(false);
      ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
      clock.cancel(false);
    }
  }
}
