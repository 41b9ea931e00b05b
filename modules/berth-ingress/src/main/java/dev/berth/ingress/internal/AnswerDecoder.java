package dev.berth.ingress.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResultProvider;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ByteProcessor;
import java.util.List;

/**
 * Reads a replica's answers on a kept-alive HTTP/1.1 connection. An answer the ingress would relay
 * unchanged — {@code HTTP/1.1}, a final status with a body, a {@code Content-Length}, no hop-by-hop
 * header, plain CRLF lines — comes out as its head's bytes ({@link RelayedHead}) and its body as
 * {@link io.netty.handler.codec.http.HttpContent}s, so the {@link Frontend} writes them on as they
 * came instead of parsing the headers into objects and encoding them again. Any other answer, and
 * every answer of an exchange that must change its head ({@link #expect}), goes through Netty's
 * decoder, as before.
 *
 * <p>The head is scanned once: line ends, control characters, and the names of the few headers that
 * decide how the answer is framed or whether it can go on as it is. Anything unusual (a bare LF, a
 * folded line, a second length, a name that is not a token) is left to Netty's decoder, which
 * accepts or refuses it as it always did.
 */
final class AnswerDecoder extends HttpResponseDecoder {

  /** Netty's own limits for an answer's status line and headers (HttpObjectDecoder's defaults). */
  private static final int MAX_HEAD = 4096 + 8192;

  /** Stops at a control character other than a tab: a line's end, or a byte no header may hold. */
  private static final ByteProcessor STOP_AT_CONTROL =
      b -> ((b & 0xFF) >= 0x20 && b != 0x7F) || b == '\t';

  private static final boolean[] TOKEN = new boolean[128];

  static {
    for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
      TOKEN[c] = true;
    }
    for (char c = '0'; c <= '9'; c++) {
      TOKEN[c] = true;
    }
    for (char c = 'a'; c <= 'z'; c++) {
      TOKEN[c] = true;
      TOKEN[Character.toUpperCase(c)] = true;
    }
  }

  private boolean headRequest; // the exchange's request is a HEAD: its answer has no body
  private boolean relayable; // the exchange lets an answer go on as it came
  private boolean delegated; // Netty's decoder is inside an answer
  private boolean broken; // Netty's decoder refused an answer: it reads nothing more, nor does this
  private long remaining = -1; // body bytes of a relayed answer still to come; -1: none

  AnswerDecoder() {
    super(Upstreams.LENIENT);
  }

  /**
   * What the next answer is to: a HEAD request (no body follows the head, whatever its length
   * says), and whether the exchange may relay it unchanged.
   */
  void expect(boolean headRequest, boolean relayable) {
    this.headRequest = headRequest;
    this.relayable = relayable && !headRequest;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    if (remaining >= 0) {
      body(in, out);
      return;
    }
    if (!delegated && relayable && !broken) {
      Head head = scan(in);
      if (head == null) {
        return; // the head is not all here yet
      }
      if (head.relayable()) {
        out.add(
            new RelayedHead(head.status, head.contentLength, in.readRetainedSlice(head.length)));
        remaining = head.contentLength;
        body(in, out);
        return;
      }
    }
    delegated = true;
    int before = out.size();
    super.decode(ctx, in, out);
    for (int i = before; i < out.size(); i++) {
      Object decoded = out.get(i);
      if (decoded instanceof DecoderResultProvider result && result.decoderResult().isFailure()) {
        broken = true;
      } else if (decoded instanceof LastHttpContent) {
        delegated = false; // the answer's end: the next one may be relayed
      }
    }
  }

  private void body(ByteBuf in, List<Object> out) {
    if (remaining == 0) {
      remaining = -1;
      out.add(LastHttpContent.EMPTY_LAST_CONTENT);
      return;
    }
    int n = (int) Math.min(remaining, in.readableBytes());
    if (n == 0) {
      return;
    }
    ByteBuf part = in.readRetainedSlice(n);
    remaining -= n;
    if (remaining == 0) {
      remaining = -1;
      out.add(new DefaultLastHttpContent(part, EmptyHttpHeaders.INSTANCE)); // no trailers
    } else {
      out.add(new DefaultHttpContent(part));
    }
  }

  @Override
  protected boolean isContentAlwaysEmpty(HttpMessage msg) {
    return headRequest || super.isContentAlwaysEmpty(msg);
  }

  /** What the scan of a head found; {@link #UNUSUAL}: Netty's decoder reads it. */
  private record Head(int status, long contentLength, int length) {
    static final Head UNUSUAL = new Head(0, -1, 0);

    boolean relayable() {
      return length > 0;
    }
  }

  /**
   * The head at {@code in}'s reader index, if it may go on unchanged; {@link Head#UNUSUAL} if not;
   * null if its end has not arrived yet.
   */
  private static Head scan(ByteBuf in) {
    int start = in.readerIndex();
    int limit = Math.min(in.writerIndex(), start + MAX_HEAD);
    // "HTTP/1.1 200 OK": the version exactly, three digits, then a space or the line's end.
    if (limit - start < 14) {
      return null;
    }
    if (in.getInt(start) != 0x48545450 // "HTTP"
        || in.getInt(start + 4) != 0x2F312E31 // "/1.1"
        || in.getByte(start + 8) != ' ') {
      return Head.UNUSUAL;
    }
    int status = digit(in, start + 9) * 100 + digit(in, start + 10) * 10 + digit(in, start + 11);
    byte after = in.getByte(start + 12);
    if (status < 200 || status > 599 || status == 204 || status == 304) {
      return Head.UNUSUAL; // interim, bodiless, or no status at all
    }
    if (after != ' ' && after != '\r') {
      return Head.UNUSUAL;
    }
    int line = lineEnd(in, start + 12, limit);
    long contentLength = -1;
    while (line >= 0) {
      int pos = line + 2;
      int end = lineEnd(in, pos, limit);
      if (end < 0) {
        return end == INCOMPLETE ? incomplete(in, start) : Head.UNUSUAL;
      }
      if (end == pos) {
        return contentLength < 0
            ? Head.UNUSUAL // chunked, or ended by closing: Netty's decoder frames it
            : new Head(status, contentLength, end + 2 - start);
      }
      int colon = nameEnd(in, pos, end);
      if (colon < 0) {
        return Head.UNUSUAL;
      }
      switch (Hop.of(in, pos, colon - pos)) {
        case CONTENT_LENGTH -> {
          if (contentLength >= 0) {
            return Head.UNUSUAL;
          }
          contentLength = length(in, colon + 1, end);
          if (contentLength < 0) {
            return Head.UNUSUAL;
          }
        }
        case CONNECTION -> {
          // "keep-alive" alone is what the ingress says to the client too (a relayed answer's
          // client keeps its connection): RFC 9110 §7.6.1 lets a proxy replace the header, here
          // with itself. Any other option is the replica's and is dropped: Netty's decoder reads
          // it.
          if (!valueIs(in, colon + 1, end, "keep-alive")) {
            return Head.UNUSUAL;
          }
        }
        case HOP_BY_HOP -> {
          return Head.UNUSUAL;
        }
        case OTHER -> {}
      }
      line = end;
    }
    return line == INCOMPLETE ? incomplete(in, start) : Head.UNUSUAL;
  }

  private static final int INCOMPLETE = -1;
  private static final int MALFORMED = -2;

  /**
   * Where the line from {@code pos} ends (its CR), {@link #INCOMPLETE} if its end has not arrived,
   * or {@link #MALFORMED} at a bare LF or another control character.
   */
  private static int lineEnd(ByteBuf in, int pos, int limit) {
    int at = in.forEachByte(pos, limit - pos, STOP_AT_CONTROL);
    if (at < 0 || at + 1 >= limit) {
      return INCOMPLETE;
    }
    return in.getByte(at) == '\r' && in.getByte(at + 1) == '\n' ? at : MALFORMED;
  }

  private static Head incomplete(ByteBuf in, int start) {
    return in.writerIndex() - start >= MAX_HEAD ? Head.UNUSUAL : null;
  }

  /** The colon after a header's name, if the name is a token; -1 if not. */
  private static int nameEnd(ByteBuf in, int pos, int end) {
    for (int i = pos; i < end; i++) {
      byte b = in.getByte(i);
      if (b == ':') {
        return i > pos ? i : -1;
      }
      if (b < 0 || !TOKEN[b]) {
        return -1;
      }
    }
    return -1;
  }

  /** Whether a header's value is {@code lower}, ignoring case and the blanks around it. */
  private static boolean valueIs(ByteBuf in, int from, int to, String lower) {
    while (from < to && isBlank(in.getByte(from))) {
      from++;
    }
    while (to > from && isBlank(in.getByte(to - 1))) {
      to--;
    }
    return Hop.equalsIgnoreCase(in, from, to - from, lower);
  }

  /** A {@code Content-Length} value: digits between optional blanks; -1 if it is anything else. */
  private static long length(ByteBuf in, int from, int to) {
    while (from < to && isBlank(in.getByte(from))) {
      from++;
    }
    while (to > from && isBlank(in.getByte(to - 1))) {
      to--;
    }
    if (from == to || to - from > 15) {
      return -1;
    }
    long value = 0;
    for (int i = from; i < to; i++) {
      int d = in.getByte(i) - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      value = value * 10 + d;
    }
    return value;
  }

  private static boolean isBlank(byte b) {
    return b == ' ' || b == '\t';
  }

  private static int digit(ByteBuf in, int at) {
    int d = in.getByte(at) - '0';
    return d >= 0 && d <= 9 ? d : -1000;
  }

  /** The headers a scan looks for, by name, case-insensitively. */
  private enum Hop {
    CONTENT_LENGTH,
    CONNECTION,
    HOP_BY_HOP, // dropped or rewritten on the way: Connection and those RFC 9110 §7.6.1 names
    OTHER;

    private static final String[] HOP_NAMES = {
      "keep-alive",
      "proxy-authenticate",
      "proxy-authorization",
      "proxy-connection",
      "te",
      "trailer",
      "transfer-encoding",
      "upgrade"
    };

    static Hop of(ByteBuf in, int pos, int length) {
      if (equalsIgnoreCase(in, pos, length, "content-length")) {
        return CONTENT_LENGTH;
      }
      if (equalsIgnoreCase(in, pos, length, "connection")) {
        return CONNECTION;
      }
      for (String name : HOP_NAMES) {
        if (equalsIgnoreCase(in, pos, length, name)) {
          return HOP_BY_HOP;
        }
      }
      return OTHER;
    }

    static boolean equalsIgnoreCase(ByteBuf in, int pos, int length, String lower) {
      if (length != lower.length()) {
        return false;
      }
      for (int i = 0; i < length; i++) {
        if ((in.getByte(pos + i) | 0x20) != lower.charAt(i)) {
          return false;
        }
      }
      return true;
    }
  }
}
