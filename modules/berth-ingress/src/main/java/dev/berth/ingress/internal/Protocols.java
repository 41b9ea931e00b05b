package dev.berth.ingress.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an HTTPS connection speaks once its handshake is done (it goes after the {@code
 * SniHandler}): HTTP/2 when the client chose {@code h2} in ALPN, HTTP/1.1 otherwise (the client
 * chose it, or offered no ALPN at all). Until then it bounds the handshake by the first request's
 * head deadline, which counts from the accept: a connection that never finishes its handshake costs
 * no more than one that never sends its head, and one that finishes it late has only what is left
 * for its head.
 */
// Netty's closes report failure through the pipeline, not the futures they return.
@SuppressWarnings("FutureReturnValueIgnored")
final class Protocols extends ApplicationProtocolNegotiationHandler {

  private static final Logger LOG = LoggerFactory.getLogger(Protocols.class);

  private final long handshakeBy;
  private final Consumer<ChannelHandlerContext> http11;
  private final Consumer<ChannelHandlerContext> http2;
  private ScheduledFuture<?> deadline;

  /**
   * @param handshakeBy the {@link System#nanoTime()} by which the handshake must be done, or the
   *     connection is closed
   * @param http11 adds what serves HTTP/1.1 after this handler
   * @param http2 adds what serves HTTP/2 after this handler
   */
  Protocols(
      long handshakeBy,
      Consumer<ChannelHandlerContext> http11,
      Consumer<ChannelHandlerContext> http2) {
    super(ApplicationProtocolNames.HTTP_1_1);
    this.handshakeBy = handshakeBy;
    this.http11 = http11;
    this.http2 = http2;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    super.handlerAdded(ctx);
    deadline =
        ctx.executor()
            .schedule(() -> ctx.close(), handshakeBy - System.nanoTime(), TimeUnit.NANOSECONDS);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) throws Exception {
    deadline.cancel(false);
    super.handlerRemoved(ctx);
  }

  @Override
  protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
    if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
      http2.accept(ctx);
    } else {
      http11.accept(ctx);
    }
  }

  /** A failed or abandoned handshake is the client's affair (scanners make many): no warning. */
  @Override
  protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("TLS handshake with {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("ingress connection from {}: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
