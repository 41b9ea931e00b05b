package dev.berth.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;

/**
 * One HTTP request and its response, in a blocking style that suits virtual threads: read the
 * bounded body, then {@link #send} once. Wraps Jetty's core {@link Request}/{@link Response}. Not
 * thread-safe: one exchange belongs to the thread handling it.
 */
public final class HttpExchange {

  private final Request request;
  private final Response response;
  private final Callback callback;
  private List<String> segments;
  private Map<String, String> pathVars = Map.of();
  private Map<String, List<String>> query;
  private boolean sent;
  private boolean bodyLeftUnread;

  public HttpExchange(Request request, Response response, Callback callback) {
    this.request = request;
    this.response = response;
    this.callback = callback;
  }

  private static List<String> decodedSegments(String rawPath) {
    List<String> out = new ArrayList<>();
    for (String s : (rawPath == null ? "" : rawPath).split("/")) {
      if (!s.isEmpty()) {
        // In a path '+' is itself, not a space.
        out.add(UrlEncoding.decode(s.replace("+", "%2B"), MalformedRequestException.Part.PATH));
      }
    }
    return Collections.unmodifiableList(out);
  }

  public String method() {
    return request.getMethod();
  }

  /**
   * The decoded path segments, without empty ones.
   *
   * @throws MalformedRequestException when a segment holds a malformed escape
   */
  public List<String> segments() {
    if (segments == null) {
      segments = decodedSegments(request.getHttpURI().getPath());
    }
    return segments;
  }

  /** The path as the client sent it, still encoded: safe to log even when malformed. */
  public String rawPath() {
    String raw = request.getHttpURI().getPath();
    return raw == null ? "/" : raw;
  }

  /** The decoded path, {@code /}-joined, starting with {@code /}; see {@link #segments}. */
  public String path() {
    return "/" + String.join("/", segments());
  }

  public Map<String, String> pathVars() {
    return pathVars;
  }

  public String pathVar(String name) {
    return pathVars.get(name);
  }

  void pathVars(Map<String, String> vars) {
    this.pathVars = Map.copyOf(vars);
  }

  /** The first value of a query parameter; parameter names match case-insensitively. */
  public Optional<String> query(String name) {
    for (var e : queryParams().entrySet()) {
      if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
        return Optional.of(e.getValue().get(0));
      }
    }
    return Optional.empty();
  }

  /**
   * Every query parameter with all its values, in order.
   *
   * @throws MalformedRequestException when the query holds a malformed escape
   */
  public Map<String, List<String>> queryParams() {
    if (query == null) {
      query =
          UrlEncoding.parse(request.getHttpURI().getQuery(), MalformedRequestException.Part.QUERY);
    }
    return query;
  }

  public Optional<String> header(String name) {
    return Optional.ofNullable(request.getHeaders().get(name));
  }

  /** The scheme, host and port the client called, for absolute URLs in replies (ARM's referer). */
  public String baseUrl() {
    var uri = request.getHttpURI();
    String host = Request.getServerName(request);
    int port = Request.getServerPort(request);
    String scheme =
        uri.getScheme() == null ? (request.isSecure() ? "https" : "http") : uri.getScheme();
    boolean defaultPort =
        ("https".equals(scheme) && port == 443) || ("http".equals(scheme) && port == 80);
    String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    return scheme + "://" + h + (defaultPort || port <= 0 ? "" : ":" + port);
  }

  /** The full request URL (scheme, host, path and query) as the client sent it. */
  public String url() {
    return request.getHttpURI().asString();
  }

  /** The address of the peer of this connection: what network rules judge. */
  public Optional<InetSocketAddress> remoteAddress() {
    SocketAddress a = request.getConnectionMetaData().getRemoteSocketAddress();
    return a instanceof InetSocketAddress inet ? Optional.of(inet) : Optional.empty();
  }

  /**
   * Reads the whole body, refusing more than {@code limit} bytes. A refused body of up to {@link
   * #DRAIN_LIMIT} is still read and dropped, so the connection stays usable; a larger one is left
   * unread and the response closes the connection (see {@link #commitHeaders}).
   *
   * @throws MalformedRequestException when the body ends before its {@code Content-Length} or its
   *     chunked encoding is broken
   */
  public byte[] body(long limit) throws IOException {
    long declared = request.getLength();
    try (InputStream in = bodyStream()) {
      if (declared > limit) {
        refuse(in, declared);
        throw new BodyTooLargeException(limit);
      }
      byte[] bytes = in.readNBytes((int) Math.min(limit + 1, Integer.MAX_VALUE - 8));
      if (bytes.length > limit) {
        refuse(in, -1);
        throw new BodyTooLargeException(limit);
      }
      return bytes;
    }
  }

  /**
   * The most of a refused body that is read and dropped. Closing a connection while the client is
   * still sending makes the kernel reset it, and a reset can destroy the refusal before the client
   * reads it; reading the rest avoids that, up to a size worth reading for nothing.
   */
  static final long DRAIN_LIMIT = 16L << 20;

  private void refuse(InputStream in, long declared) throws IOException {
    if (declared > DRAIN_LIMIT) {
      bodyLeftUnread = true;
      return;
    }
    byte[] sink = new byte[64 * 1024];
    long dropped = 0;
    int n;
    while ((n = in.read(sink)) >= 0) {
      dropped += n;
      if (dropped > DRAIN_LIMIT) {
        bodyLeftUnread = true;
        return;
      }
    }
  }

  /**
   * The body as a stream, for large uploads. A read that fails because of what the client sent (a
   * body shorter than its {@code Content-Length}, a broken chunked encoding, a peer gone mid-body)
   * throws {@link MalformedRequestException}, so that a handler need not tell those apart from its
   * own I/O failures: every failure of this stream is the client's.
   */
  public InputStream bodyStream() {
    return new ClientBody(Content.Source.asInputStream(request));
  }

  public Request request() {
    return request;
  }

  public boolean isSent() {
    return sent;
  }

  public void setHeader(String name, String value) {
    response.getHeaders().put(name, value);
  }

  /** Adds a header beside any of the same name (several {@code Set-Cookie}, say). */
  public void addHeader(String name, String value) {
    response.getHeaders().add(name, value);
  }

  /** Sends a complete response and finishes the exchange. */
  public void send(int status, String contentType, byte[] body) {
    if (sent) {
      throw new IllegalStateException("response already sent");
    }
    sent = true;
    commitHeaders(status, contentType);
    response
        .getHeaders()
        .put(new HttpField(HttpHeader.CONTENT_LENGTH, Integer.toString(body.length)));
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  /** Sends {@code value} as JSON ({@code application/json; charset=utf-8}). */
  public void sendJson(int status, Object value) {
    send(status, "application/json; charset=utf-8", Json.bytes(value));
  }

  /** Sends a response with no body. */
  public void sendEmpty(int status) {
    send(status, null, new byte[0]);
  }

  /** Streams a body of known or unknown length; the writer must not call {@link #send}. */
  public void stream(int status, String contentType, long length, BodyWriter writer)
      throws IOException {
    if (sent) {
      throw new IllegalStateException("response already sent");
    }
    sent = true;
    commitHeaders(status, contentType);
    if (length >= 0) {
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, Long.toString(length));
    }
    try (Body body = new Body(response)) {
      writer.write(body);
    } catch (IOException | RuntimeException e) {
      callback.failed(e);
      throw e;
    }
    callback.succeeded();
  }

  /**
   * Sets the status and content type. After a body left unread it also says {@code Connection:
   * close}: Jetty closes a connection whose request body was left unread, and it may decide so only
   * after the response went out, so a client told nothing would send its next request into a closed
   * connection ("header parser received no bytes" in the JDK's client). That includes a body the
   * handler never asked for (a request refused before its body, such as a 401 to a PUT): what has
   * arrived is dropped, and if more is still on its way the connection is said to close.
   */
  private void commitHeaders(int status, String contentType) {
    response.setStatus(status);
    if (contentType != null) {
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    }
    if (bodyLeftUnread || !request.consumeAvailable()) {
      response.getHeaders().put(HttpHeader.CONNECTION, "close");
    }
  }

  /** Writes a streamed body. */
  @FunctionalInterface
  public interface BodyWriter {
    void write(Body body) throws IOException;
  }

  /**
   * A response body being streamed, as a stream and as a channel. Each write blocks until Jetty has
   * taken the bytes, so the caller may reuse its buffer; a direct {@link ByteBuffer} reaches the
   * TLS engine without a copy into the heap.
   */
  public static final class Body extends OutputStream implements WritableByteChannel {
    private final Content.Sink sink;
    private boolean closed;
    // A write that failed (the client went away): Jetty would fail the closing write with the very
    // same exception, which try-with-resources cannot add to itself ("Self-suppression not
    // permitted", an IllegalArgumentException in place of the IOException).
    private IOException failed;

    Body(Content.Sink sink) {
      this.sink = sink;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      write(ByteBuffer.wrap(b, off, len));
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      if (closed) {
        throw new ClosedChannelException();
      }
      int n = src.remaining();
      send(false, src);
      return n;
    }

    @Override
    public boolean isOpen() {
      return !closed;
    }

    /** Ends the body; after a failed write there is nothing left to end. */
    @Override
    public void close() throws IOException {
      if (!closed) {
        closed = true;
        if (failed == null) {
          send(true, null);
        }
      }
    }

    private void send(boolean last, ByteBuffer bytes) throws IOException {
      if (failed != null) {
        throw failed;
      }
      try (Blocker.Callback written = Blocker.callback()) {
        sink.write(last, bytes, written);
        written.block();
      } catch (IOException e) {
        failed = e;
        throw e;
      }
    }
  }

  /** A body larger than the route allows. */
  public static final class BodyTooLargeException extends IOException {
    private final long limit;

    public BodyTooLargeException(long limit) {
      super("request body exceeds " + limit + " bytes");
      this.limit = limit;
    }

    public long limit() {
      return limit;
    }
  }
}
