package dev.berth.ingress.internal;

import dev.berth.ingress.Backend;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.ReferenceCountUtil;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;

/**
 * One exchange's way to a replica: an HTTP/1.1 connection kept alive in the {@link Upstreams} pool,
 * or an HTTP/2 stream ({@code transport: http2}). Relays the replica's answer to the {@link
 * Frontend} message by message, and tells it when the replica fails before the answer's end.
 * Messages sent before the connection (or stream) is up wait in {@code pending}. Confined to its
 * event loop, which is its client connection's.
 */
// Netty's writes, closes and timers report failure through the pipeline (exceptionCaught,
// channelInactive) and the close listeners here, not through the futures they return.
@SuppressWarnings("FutureReturnValueIgnored")
final class Upstream extends ChannelInboundHandlerAdapter {

  private final Upstreams pool; // null: not kept after its exchange (an HTTP/2 stream)
  private final Backend backend;
  private final AnswerDecoder decoder; // null: an HTTP/2 stream's, whose answers come as objects
  private Channel channel;
  private List<Object> pending = new ArrayList<>(4); // null once connected
  private Frontend front;
  private boolean reusable;
  private boolean interim; // inside a 100 Continue
  private Throwable failure;

  Upstream(Upstreams pool, Backend backend, AnswerDecoder decoder) {
    this.pool = pool;
    this.backend = backend;
    this.decoder = decoder;
  }

  void begin(Frontend front) {
    this.front = front;
    reusable = false;
    interim = false;
    failure = null;
    if (channel != null && !channel.config().isAutoRead()) {
      channel.config().setAutoRead(true);
    }
  }

  /** What the next answer is to ({@link AnswerDecoder#expect}). */
  void expect(boolean headRequest, boolean relayable) {
    if (decoder != null) {
      decoder.expect(headRequest, relayable);
    }
  }

  boolean isActive() {
    return channel != null && channel.isActive();
  }

  void send(Object message) {
    if (pending != null) {
      pending.add(message);
    } else {
      channel.write(message, channel.voidPromise());
    }
  }

  void flush() {
    if (pending == null) {
      channel.flush();
    }
  }

  /** Reading from the replica follows whether the client can take more. */
  void readable(boolean read) {
    if (channel != null) {
      channel.config().setAutoRead(read);
    }
  }

  /** The connection is up, or could not be made. */
  void connected(ChannelFuture connect) {
    connected(connect.channel(), connect.isSuccess() ? null : connect.cause());
  }

  /**
   * The connection (or stream) {@code made} is up, or could not be made ({@code failed} not null;
   * {@code made} then the channel to close, if any).
   */
  void connected(Channel made, Throwable failed) {
    List<Object> waiting = pending;
    pending = null;
    channel = made;
    if (failed != null || front == null) {
      waiting.forEach(ReferenceCountUtil::release);
      if (made != null) {
        made.close();
      }
      fail(failed == null ? new ClosedChannelException() : failed);
      return;
    }
    for (Object message : waiting) {
      channel.write(message, channel.voidPromise());
    }
    channel.flush();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (front == null) {
      ReferenceCountUtil.release(msg); // nothing asked: a stray byte from the replica
      return;
    }
    if (msg instanceof HttpObject object && object.decoderResult().isFailure()) {
      // Not HTTP: the replica fails this exchange (502 if nothing was relayed yet).
      failure = object.decoderResult().cause();
      ReferenceCountUtil.release(msg);
      ctx.close();
      return;
    }
    if (msg instanceof RelayedHead head) {
      reusable = pool != null; // HTTP/1.1 without a Connection header: kept alive
      front.head(head);
      return;
    }
    if (msg instanceof HttpResponse response) {
      if (response.status().code() == 100) {
        // The codec follows it with an empty last content: not the answer's end.
        interim = true;
        front.interim();
        ReferenceCountUtil.release(msg);
        return;
      }
      reusable = pool != null && HttpUtil.isKeepAlive(response);
      if (pool == null) {
        // An HTTP/2 stream's: Netty's conversion adds the stream's id as a header.
        response.headers().remove(HttpConversionUtil.ExtensionHeaderNames.STREAM_ID.text());
      }
      front.head(response);
    }
    if (msg instanceof HttpContent content && interim) {
      content.release();
      interim = !(content instanceof LastHttpContent);
    } else if (msg instanceof HttpContent content) {
      if (content instanceof LastHttpContent) {
        Frontend f = front;
        front = null;
        boolean keep = reusable && channel.isActive() && f.requestSent();
        if (keep) {
          pool.release(backend, this);
        } else {
          channel.close();
        }
        f.content(content);
      } else {
        front.content(content);
      }
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    // What this read relayed goes out in one write; the answer's end was flushed already.
    if (front != null) {
      front.flush();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (front != null) {
      front.readable(channel.isWritable());
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (pool != null) {
      pool.forget(backend, this);
    }
    fail(failure == null ? new ClosedChannelException() : failure);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    failure = cause;
    ctx.close();
  }

  private void fail(Throwable cause) {
    if (front != null) {
      Frontend f = front;
      front = null;
      f.upstreamFailed(cause);
    }
  }

  /** The client left, or the exchange ended here: this connection is not reusable. */
  void abandon() {
    front = null;
    if (channel != null) {
      channel.close();
    }
  }
}
