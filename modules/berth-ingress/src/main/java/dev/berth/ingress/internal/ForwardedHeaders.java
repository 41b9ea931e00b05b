package dev.berth.ingress.internal;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What the ingress changes in a message's headers on its way through: the hop-by-hop headers go
 * (RFC 9110 §7.6.1), and a request gets the headers Container Apps' ingress adds — {@code
 * X-Forwarded-For} (the client's list, if any, with the peer's address appended), {@code
 * X-Forwarded-Proto} and {@code X-Forwarded-Host} (set by the ingress, whatever the client sent),
 * and a fresh {@code X-Request-Id}. Stateless; thread-safe.
 *
 * @see <a href="https://learn.microsoft.com/azure/container-apps/ingress-overview#http-headers">
 *     Ingress in Azure Container Apps: HTTP headers</a>
 */
final class ForwardedHeaders {

  static final String FOR = "X-Forwarded-For";
  static final String PROTO = "X-Forwarded-Proto";
  static final String HOST = "X-Forwarded-Host";

  /**
   * Envoy's request id header, which Container Apps' (Envoy-based) ingress passes to apps. A value
   * the client sent is replaced: at the edge it proves nothing.
   */
  static final String REQUEST_ID = "X-Request-Id";

  /**
   * Headers that describe one hop, not the message. {@code Transfer-Encoding} is not among them
   * here: Netty's codecs frame a streamed body by it again on the next hop.
   */
  private static final List<CharSequence> HOP_BY_HOP =
      List.of(
          HttpHeaderNames.CONNECTION,
          HttpHeaderNames.KEEP_ALIVE,
          HttpHeaderNames.PROXY_AUTHENTICATE,
          HttpHeaderNames.PROXY_AUTHORIZATION,
          HttpHeaderNames.PROXY_CONNECTION,
          HttpHeaderNames.TE,
          HttpHeaderNames.TRAILER,
          HttpHeaderNames.UPGRADE);

  private ForwardedHeaders() {}

  /** Removes {@code Connection}, the headers it names, and the other hop-by-hop headers. */
  static void dropHopByHop(HttpHeaders headers) {
    for (String named : headers.getAll(HttpHeaderNames.CONNECTION)) {
      for (String token : named.split(",")) {
        String name = token.trim();
        if (!name.isEmpty()) {
          headers.remove(name);
        }
      }
    }
    for (CharSequence name : HOP_BY_HOP) {
      headers.remove(name);
    }
  }

  /** Whether the client's {@code TE} names {@code trailers}: it can take an answer's trailers. */
  static boolean acceptsTrailers(HttpHeaders headers) {
    for (String te : headers.getAll(HttpHeaderNames.TE)) {
      for (String coding : te.split(",")) {
        int parameters = coding.indexOf(';');
        String name = parameters < 0 ? coding : coding.substring(0, parameters);
        if (name.strip().equalsIgnoreCase("trailers")) {
          return true;
        }
      }
    }
    return false;
  }

  /** Adds the forwarding headers for a request from {@code peer} over {@code secure} or not. */
  static void add(HttpHeaders headers, String peer, boolean secure) {
    List<String> prior = headers.getAll(FOR);
    headers.set(FOR, prior.isEmpty() ? peer : String.join(", ", prior) + ", " + peer);
    headers.set(PROTO, secure ? "https" : "http");
    String host = headers.get(HttpHeaderNames.HOST);
    if (host != null) {
      headers.set(HOST, host);
    } else {
      headers.remove(HOST);
    }
    headers.set(REQUEST_ID, requestId());
  }

  /**
   * A random version-4 UUID in its text form: unique enough to find one request in the logs, and
   * drawn without {@code SecureRandom}'s cost on every request (it is no secret). Written straight
   * into ASCII bytes, which the encoder copies as they are: no {@code UUID}, no {@code String}.
   */
  static CharSequence requestId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (random.nextLong() & ~0xF000L) | 0x4000L;
    long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    byte[] text = new byte[36];
    hex(high >>> 32, text, 0, 8);
    text[8] = '-';
    hex(high >>> 16, text, 9, 4);
    text[13] = '-';
    hex(high, text, 14, 4);
    text[18] = '-';
    hex(low >>> 48, text, 19, 4);
    text[23] = '-';
    hex(low, text, 24, 12);
    return new AsciiString(text, false);
  }

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  /** The low {@code digits} hex digits of {@code value} into {@code text} from {@code at}. */
  private static void hex(long value, byte[] text, int at, int digits) {
    for (int i = at + digits - 1; i >= at; i--) {
      text[i] = HEX[(int) (value & 0xF)];
      value >>>= 4;
    }
  }
}
