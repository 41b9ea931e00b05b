package dev.berth.ingress.internal;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.AsciiString;
import java.net.URI;
import java.util.Iterator;
import java.util.List;

/**
 * What the ingress checks and settles in a request's head before it routes it, so that it and the
 * replica cannot read one request two ways (RFC 9112): one {@code Host} (two let the ingress route
 * by one and the app read the other); a body framed by a length or by {@code chunked} last (any
 * other transfer coding leaves the body's end unknown, and a replica that guessed differently would
 * read the next request from it); and an absolute-form target turned into the origin form with its
 * authority as the {@code Host}, as the ingress routed it. Netty's decoder already refuses two
 * lengths, a length beside a transfer coding, and {@code chunked} before another coding. Stateless.
 */
final class RequestChecks {

  private RequestChecks() {}

  /** Why the ingress answers {@code request} 400 and closes, or null when it may go on. */
  static String refusal(HttpRequest request) {
    // On every request: an iterator, not a list, so the usual request allocates nothing here.
    Iterator<String> hosts = request.headers().valueStringIterator(HttpHeaderNames.HOST);
    if (!hosts.hasNext()) {
      return request.protocolVersion().equals(HttpVersion.HTTP_1_1)
          ? "an HTTP/1.1 request needs a Host header (RFC 9112 §3.2)"
          : null;
    }
    hosts.next();
    if (hosts.hasNext()) {
      return "a request has one Host header, this one has "
          + request.headers().getAll(HttpHeaderNames.HOST).size()
          + " (RFC 9112 §3.2)";
    }
    if (request.headers().contains(HttpHeaderNames.TRANSFER_ENCODING)) {
      List<String> codings = request.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING);
      if (!lastIsChunked(codings)) {
        return "Transfer-Encoding '"
            + String.join(", ", codings)
            + "' does not end with chunked, so the body's end is unknown (RFC 9112 §6.1)";
      }
    }
    return null;
  }

  /**
   * Settles what Netty's HTTP/2 codec leaves in a stream's request as it turns it into HTTP/1.1
   * messages: the {@code x-http2-*} headers it adds (the stream's id, scheme, path) are its own,
   * not the client's, and go no further; and {@code :authority} arrives as {@code Host}, so a
   * client that also sent a {@code Host} of the same value (RFC 9113 §8.3.1 lets it) would read as
   * two: they become one. Two that differ stay two, and {@link #refusal} refuses them.
   */
  static void fromStream(HttpRequest request) {
    HttpHeaders headers = request.headers();
    for (AsciiString name : STREAM_HEADERS) {
      headers.remove(name);
    }
    // On every stream: an iterator, so the usual single Host allocates nothing here.
    Iterator<String> hosts = headers.valueStringIterator(HttpHeaderNames.HOST);
    if (!hosts.hasNext()) {
      return;
    }
    String first = hosts.next();
    if (!hosts.hasNext()) {
      return;
    }
    while (hosts.hasNext()) {
      if (!hosts.next().equalsIgnoreCase(first)) {
        return; // two that differ: refused by refusal()
      }
    }
    headers.set(HttpHeaderNames.HOST, first);
  }

  private static final List<AsciiString> STREAM_HEADERS =
      java.util.Arrays.stream(HttpConversionUtil.ExtensionHeaderNames.values())
          .map(HttpConversionUtil.ExtensionHeaderNames::text)
          .toList();

  private static boolean lastIsChunked(List<String> codings) {
    String last = codings.getLast();
    String coding = last.substring(last.lastIndexOf(',') + 1).strip();
    return coding.equalsIgnoreCase(HttpHeaderValues.CHUNKED.toString());
  }

  /**
   * Turns an absolute-form target ({@code GET http://app.example/x?y}) into the origin form ({@code
   * /x?y}, its bytes as sent) with its authority as the {@code Host}, which RFC 9112 §3.2.2 says
   * wins over a {@code Host} the client also sent: the replica then reads the request as the
   * ingress routed it. Other forms are left as they are.
   */
  static void toOriginForm(HttpRequest request) {
    String target = request.uri();
    if (target.startsWith("/") || target.equals("*")) {
      return;
    }
    URI uri;
    try {
      uri = URI.create(target);
    } catch (IllegalArgumentException e) {
      return; // not absolute-form: routed by its Host, sent on as it came
    }
    if (uri.getScheme() == null || uri.getRawAuthority() == null) {
      return;
    }
    String authority = uri.getRawAuthority();
    authority = authority.substring(authority.lastIndexOf('@') + 1); // no user info onwards
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    request.setUri(uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery());
    request.headers().set(HttpHeaderNames.HOST, authority);
  }
}
