package dev.berth.ingress.internal;

import dev.berth.ingress.Caller;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket through the ingress: the client's handshake goes to the replica over a connection of
 * its own (the client's headers, hop-by-hop ones replaced, the forwarding headers added); a 101 is
 * relayed, and from then on both connections lose their HTTP codecs and bytes are copied both ways
 * without reading frames, with back-pressure. Any other answer (404, 426…) is relayed as a
 * response. Either side closing closes the other; a tunnel silent for the request timeout (240 s)
 * is closed. The replica stays claimed until the tunnel closes, so a drained replica's tunnels get
 * its close. Why bytes rather than frames: a WebSocket client and server back to back would
 * re-frame every message, with extensions, sub-protocols and size limits of their own; the replica
 * keeps the protocol. Confined to the client connection's event loop.
 */
// Netty's writes, closes and timers report failure through the pipeline (exceptionCaught,
// channelInactive) and the close listeners here, not through the futures they return.
@SuppressWarnings("FutureReturnValueIgnored")
final class WebSocketTunnel {

  private WebSocketTunnel() {}

  /** A GET asking to switch to WebSocket. */
  static boolean isUpgrade(HttpRequest request) {
    HttpHeaders headers = request.headers();
    return HttpMethod.GET.equals(request.method())
        && headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
        && headers.contains(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
  }

  /** Sends {@code x}'s handshake to its replica; the answer decides what the connection becomes. */
  static void open(
      ChannelHandlerContext client,
      Exchange x,
      Caller caller,
      boolean secure,
      Upstreams upstreams,
      Router router,
      Frontend front) {
    HttpRequest request = x.request;
    String upgrade = request.headers().get(HttpHeaderNames.UPGRADE);
    ForwardedHeaders.dropHopByHop(request.headers());
    ForwardedHeaders.add(request.headers(), caller.peerAddress(), secure);
    request.headers().set(HttpHeaderNames.UPGRADE, upgrade);
    request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
    // Frames the client sends early wait in its socket until the tunnel is up.
    client.channel().config().setAutoRead(false);
    Handshake handshake = new Handshake(client, x, router, front);
    ChannelFuture connect =
        upstreams.connect(
            client.channel().eventLoop(),
            x.backend,
            new HttpRequestEncoder(),
            new HttpResponseDecoder(Upstreams.LENIENT),
            handshake);
    connect.addListener(
        (ChannelFutureListener)
            done -> {
              if (!done.isSuccess()) {
                handshake.failed(done.cause());
                return;
              }
              done.channel().write(request);
              done.channel().writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            });
  }

  /** The replica's answer to the handshake, on the replica's connection. */
  private static final class Handshake extends ChannelInboundHandlerAdapter {
    private final ChannelHandlerContext client;
    private final Exchange x;
    private final Router router;
    private final Frontend front;
    private boolean answered;
    private boolean relaying; // an answer other than 101, relayed as a response

    Handshake(ChannelHandlerContext client, Exchange x, Router router, Frontend front) {
      this.client = client;
      this.x = x;
      this.router = router;
      this.front = front;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpResponse response && !answered) {
        answered = true;
        if (response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
          ReferenceCountUtil.release(msg);
          switched(ctx.channel(), response);
          return;
        }
        relaying = true;
        client.channel().config().setAutoRead(true);
        front.head(response);
      }
      if (relaying && msg instanceof HttpContent content) {
        if (content instanceof LastHttpContent) {
          relaying = false;
          ctx.close();
        }
        front.content(content);
      } else if (!(msg instanceof HttpResponse)) {
        ReferenceCountUtil.release(msg);
      }
    }

    /** 101: relay it, then both connections carry bytes only. */
    private void switched(Channel replica, HttpResponse response) {
      ChannelPipeline upstream = replica.pipeline();
      // Removed here, while it decodes: what the replica sent after the 101 goes on as bytes.
      upstream.remove(HttpResponseDecoder.class);
      upstream.remove(HttpRequestEncoder.class);
      upstream.remove(this);
      x.status = 101;
      x.responseStarted = true;
      front.handedOver();
      DefaultFullHttpResponse relayed =
          new DefaultFullHttpResponse(response.protocolVersion(), response.status());
      relayed.headers().set(response.headers());
      relayed.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
      relayed.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
      ChannelPipeline downstream = client.pipeline();
      Runnable ended = () -> router.end(x);
      client
          .writeAndFlush(relayed)
          .addListener(
              (ChannelFutureListener)
                  written -> {
                    if (!written.isSuccess()) {
                      replica.close();
                      router.end(x);
                      return;
                    }
                    downstream.remove(Frontend.class);
                    long idle = router.settings().requestTimeout().toNanos();
                    downstream.addLast(new IdleStateHandler(0, 0, idle, TimeUnit.NANOSECONDS));
                    downstream.addLast(new Pipe(replica, ended));
                    // Its decoder hands on what the client sent after the handshake, as bytes.
                    downstream.remove(ResponseEncoder.class);
                    downstream.remove(HttpRequestDecoder.class);
                    upstream.addLast(new Pipe(client.channel(), ended));
                    client.channel().config().setAutoRead(true);
                    replica.config().setAutoRead(true);
                  });
    }

    void failed(Throwable cause) {
      client.channel().config().setAutoRead(true);
      front.upstreamFailed(cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (!answered || relaying) {
        client.channel().config().setAutoRead(true);
        front.upstreamFailed(new ClosedChannelException());
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  /** Copies what one side sends to the other; its close closes the other. */
  private static final class Pipe extends ChannelInboundHandlerAdapter {
    private final Channel peer;
    private final Runnable ended;

    Pipe(Channel peer, Runnable ended) {
      this.peer = peer;
      this.ended = ended;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (peer.isActive()) {
        peer.write(msg, peer.voidPromise());
      } else {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      peer.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      // Back-pressure: while this side cannot take more, the other is not read.
      peer.config().setAutoRead(ctx.channel().isWritable());
      ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
      ended.run();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      if (event instanceof IdleStateEvent) {
        ctx.close(); // silent for the request timeout
      } else if (event instanceof ChannelInputShutdownEvent) {
        // The client ended its side: so does the replica's, which then sees the end and closes.
        if (peer instanceof DuplexChannel duplex) {
          duplex.shutdownOutput();
        } else {
          peer.close();
        }
      } else {
        ctx.fireUserEventTriggered(event);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
