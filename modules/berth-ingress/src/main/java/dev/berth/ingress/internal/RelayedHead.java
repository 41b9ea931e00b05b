package dev.berth.ingress.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * A replica's answer head as its bytes, to be written to the client as they are ({@link
 * AnswerDecoder}): {@code HTTP/1.1}, a final status, a body of {@code contentLength} bytes, and no
 * header the ingress would change. Its body follows as {@link
 * io.netty.handler.codec.http.HttpContent}s, the last one a {@link
 * io.netty.handler.codec.http.LastHttpContent}.
 */
final class RelayedHead extends DefaultByteBufHolder {

  final int status;
  final long contentLength;

  RelayedHead(int status, long contentLength, ByteBuf bytes) {
    super(bytes);
    this.status = status;
    this.contentLength = contentLength;
  }
}
