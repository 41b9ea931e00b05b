package dev.berth.ingress.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2CodecUtil;
import java.util.function.Consumer;

/**
 * On the plain-HTTP listener, tells an HTTP/2 client that knows the server speaks it (h2c by prior
 * knowledge, RFC 9113 §3.3: gRPC's plaintext clients, {@code curl --http2-prior-knowledge}) from an
 * HTTP/1.1 one by the first bytes: the connection preface ({@code PRI * HTTP/2.0…}), which no
 * HTTP/1.1 request begins with. Sits before the HTTP/1.1 decoder; on the first byte that differs it
 * steps aside and the bytes go on to HTTP/1.1 as they came; on the whole preface it hands the
 * connection to {@code http2}, which replaces the HTTP/1.1 handlers. A usual request costs one
 * comparison of its first bytes.
 */
final class Preface extends ChannelInboundHandlerAdapter {

  private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();

  private final Consumer<ChannelHandlerContext> http2;
  private ByteBuf seen; // the first bytes while they still match a beginning of the preface

  /**
   * @param http2 replaces the HTTP/1.1 handlers after this one with HTTP/2's
   */
  Preface(Consumer<ChannelHandlerContext> http2) {
    this.http2 = http2;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf bytes)) {
      ctx.fireChannelRead(msg);
      return;
    }
    ByteBuf all = seen == null ? bytes : ctx.alloc().buffer().writeBytes(seen).writeBytes(bytes);
    if (seen != null) {
      seen.release();
      bytes.release();
      seen = null;
    }
    int length = Math.min(all.readableBytes(), PREFACE.readableBytes());
    if (!ByteBufUtil.equals(all, all.readerIndex(), PREFACE, 0, length)) {
      ctx.pipeline().remove(this);
      ctx.fireChannelRead(all); // HTTP/1.1, or not HTTP: its decoder says which
    } else if (length < PREFACE.readableBytes()) {
      seen = all; // a preface so far: wait for the rest
    } else {
      http2.accept(ctx);
      ctx.pipeline().remove(this);
      ctx.fireChannelRead(all); // the HTTP/2 codec reads the preface itself
    }
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (seen != null) {
      seen.release();
      seen = null;
    }
  }
}
