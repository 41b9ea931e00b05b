package dev.berth.ingress.internal;

import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;

/**
 * Encodes the answers the {@link Frontend} writes as objects; answers relayed as bytes ({@link
 * RelayedHead}) are written past it. Told when the request is a HEAD, whose answer carries no body
 * whatever its length says — what Netty's {@code HttpServerCodec} learns by pairing each request
 * with its answer, which answers written past the encoder would put out of step.
 */
final class ResponseEncoder extends HttpResponseEncoder {

  private boolean headRequest;

  void answering(boolean headRequest) {
    this.headRequest = headRequest;
  }

  @Override
  protected boolean isContentAlwaysEmpty(HttpResponse msg) {
    return headRequest || super.isContentAlwaysEmpty(msg);
  }
}
