package dev.berth.ingress.internal;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;

/**
 * After Netty's HTTP/2 stream codec, on either side: a message that one HEADERS frame carried whole
 * (a bodiless request, a gRPC status with no message, an interim {@code 100}) goes on as its head
 * and then its end, as HTTP/1.1's decoders hand every message. So {@link Frontend} and {@link
 * Upstream} read one shape whatever the protocol. Stateless; shared.
 */
@ChannelHandler.Sharable
final class MessageParts extends ChannelInboundHandlerAdapter {

  static final MessageParts INSTANCE = new MessageParts();

  private MessageParts() {}

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof FullHttpRequest full) {
      ctx.fireChannelRead(
          new DefaultHttpRequest(
              full.protocolVersion(), full.method(), full.uri(), full.headers()));
      ctx.fireChannelRead(new DefaultLastHttpContent(full.content(), full.trailingHeaders()));
    } else if (msg instanceof FullHttpResponse full) {
      ctx.fireChannelRead(
          new DefaultHttpResponse(full.protocolVersion(), full.status(), full.headers()));
      ctx.fireChannelRead(new DefaultLastHttpContent(full.content(), full.trailingHeaders()));
    } else {
      ctx.fireChannelRead(msg);
    }
  }
}
