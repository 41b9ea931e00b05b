package dev.berth.ingress.internal;

import dev.berth.ingress.Backend;
import dev.berth.ingress.IngressSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Passes a WebSocket handshake ({@code Upgrade: websocket} over HTTP/1.1) to a replica and, when it
 * answers 101, hands the client's connection to a {@link TunnelConnection} that copies bytes both
 * ways until either side closes. Jetty's {@code ProxyHandler} cannot do this (it drops {@code
 * Upgrade} as hop-by-hop); the handshake goes over its own socket, on the request's virtual thread,
 * and the 101 is relayed with Jetty's own upgrade mechanism ({@link
 * HttpStream#UPGRADE_CONNECTION_ATTRIBUTE}, as Jetty's WebSocket server uses it). Any other answer
 * is relayed as a plain response. Thread-safe.
 */
final class WebSocketTunnel {

  /** Replica answers other than 101 carry a short page at most: beyond this, 502. */
  private static final int MAX_REFUSAL_BODY = 1 << 20;

  private static final int MAX_HEAD = 16 * 1024;

  /** Hop-by-hop headers (RFC 9110 §7.6.1) not passed on; Upgrade and Connection are set anew. */
  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "proxy-connection",
          "proxy-authorization",
          "proxy-authenticate");

  private final IngressSettings settings;

  WebSocketTunnel(IngressSettings settings) {
    this.settings = settings;
  }

  /** Whether {@code request} asks to become a WebSocket (the HTTP/1.1 handshake, RFC 6455 §4.1). */
  static boolean isUpgrade(Request request) {
    HttpFields headers = request.getHeaders();
    return HttpMethod.GET.is(request.getMethod())
        && request.getConnectionMetaData().getHttpVersion() == HttpVersion.HTTP_1_1
        && headers.contains(HttpHeader.UPGRADE, "websocket")
        && headers.contains(HttpHeader.CONNECTION, "upgrade");
  }

  /** Sends the handshake to {@code backend} and relays its answer; on 101, tunnels. */
  boolean tunnel(Request request, Response response, Callback callback, Backend backend) {
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(backend.host(), backend.port()), 5_000);
      socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, settings.requestTimeout().toMillis()));
      OutputStream out = socket.getOutputStream();
      out.write(head(request));
      out.flush();
      Answer answer = Answer.read(socket.getInputStream());
      if (answer.status == HttpStatus.SWITCHING_PROTOCOLS_101) {
        socket.setSoTimeout(0); // from now on, the client connection's idle timeout rules
        response.setStatus(HttpStatus.SWITCHING_PROTOCOLS_101);
        for (HttpField field : answer.headers) {
          response.getHeaders().add(field);
        }
        TunnelConnection connection =
            new TunnelConnection(
                request.getConnectionMetaData().getConnection().getEndPoint(),
                request.getComponents().getExecutor(),
                socket,
                answer.leftover,
                settings.requestTimeout());
        request.setAttribute(HttpStream.UPGRADE_CONNECTION_ATTRIBUTE, connection);
        callback.succeeded();
        return true;
      }
      relay(response, callback, answer, socket.getInputStream());
      socket.close();
      return true;
    } catch (SocketTimeoutException e) {
      close(socket);
      return Replies.text(
          response,
          callback,
          HttpStatus.GATEWAY_TIMEOUT_504,
          "The replica did not answer the WebSocket handshake in time.\n");
    } catch (IOException | RuntimeException e) {
      close(socket);
      return Replies.text(
          response,
          callback,
          HttpStatus.BAD_GATEWAY_502,
          "The replica failed the WebSocket handshake: " + e.getMessage() + "\n");
    }
  }

  /** The handshake as the replica gets it: the client's headers, hop-by-hop ones replaced. */
  private static byte[] head(Request request) {
    HttpFields.Mutable headers = HttpFields.build();
    HttpFields in = request.getHeaders();
    Set<String> named = new java.util.HashSet<>();
    for (String v : in.getCSV(HttpHeader.CONNECTION, false)) {
      named.add(v.toLowerCase(Locale.ROOT));
    }
    for (HttpField field : in) {
      String name = field.getLowerCaseName();
      if (!HOP_BY_HOP.contains(name) && !named.contains(name)) {
        headers.add(field);
      }
    }
    ForwardedHeaders.add(request, headers);
    StringBuilder head =
        new StringBuilder("GET ")
            .append(request.getHttpURI().getPathQuery())
            .append(" HTTP/1.1\r\n");
    for (HttpField field : headers) {
      head.append(field.getName()).append(": ").append(field.getValue()).append("\r\n");
    }
    head.append("Connection: Upgrade\r\nUpgrade: websocket\r\n\r\n");
    return head.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private static void relay(Response response, Callback callback, Answer answer, InputStream in)
      throws IOException {
    ByteArrayOutputStream body = answer.body(in);
    response.setStatus(answer.status);
    for (HttpField field : answer.headers) {
      if (!HOP_BY_HOP.contains(field.getLowerCaseName())
          && field.getHeader() != HttpHeader.CONTENT_LENGTH) {
        response.getHeaders().add(field);
      }
    }
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.size());
    response.write(true, ByteBuffer.wrap(body.toByteArray()), callback);
  }

  private static void close(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // Closing a socket that failed: nothing left to do.
    }
  }

  /** The replica's answer to the handshake, parsed with Jetty's own HTTP parser. */
  private static final class Answer implements HttpParser.ResponseHandler {
    private final HttpParser parser = new HttpParser(this, MAX_HEAD);
    private final ByteArrayOutputStream content = new ByteArrayOutputStream();
    private final HttpFields.Mutable headers = HttpFields.build();
    private ByteBuffer buffer = ByteBuffer.allocate(MAX_HEAD);
    private ByteBuffer leftover = ByteBuffer.allocate(0);
    private int status;
    private boolean headDone;
    private boolean done;

    static Answer read(InputStream in) throws IOException {
      Answer a = new Answer();
      a.buffer.flip();
      while (!a.headDone) {
        a.fill(in);
        a.parser.parseNext(a.buffer);
      }
      if (a.status == HttpStatus.SWITCHING_PROTOCOLS_101) {
        a.leftover = ByteBuffer.allocate(a.buffer.remaining()).put(a.buffer).flip();
      }
      return a;
    }

    ByteArrayOutputStream body(InputStream in) throws IOException {
      while (!done) {
        if (!buffer.hasRemaining() && !fill(in)) {
          parser.atEOF();
        }
        parser.parseNext(buffer);
      }
      return content;
    }

    /** Reads more into the buffer; false at end of stream. */
    private boolean fill(InputStream in) throws IOException {
      buffer.compact();
      if (!buffer.hasRemaining()) {
        throw new IOException("the replica's answer head is over " + MAX_HEAD + " bytes");
      }
      int n = in.read(buffer.array(), buffer.position(), buffer.remaining());
      if (n > 0) {
        buffer.position(buffer.position() + n);
      }
      buffer.flip();
      if (n < 0 && !headDone) {
        throw new IOException("the replica closed the connection before answering");
      }
      return n >= 0;
    }

    @Override
    public void startResponse(HttpVersion version, int status, String reason) {
      this.status = status;
    }

    @Override
    public void parsedHeader(HttpField field) {
      headers.add(field);
    }

    @Override
    public boolean headerComplete() {
      headDone = true;
      return true; // stop here: on 101, what follows belongs to the tunnel
    }

    @Override
    public boolean content(ByteBuffer chunk) {
      if (content.size() + chunk.remaining() > MAX_REFUSAL_BODY) {
        throw new IllegalStateException("the replica's answer to a handshake is over 1 MiB");
      }
      byte[] bytes = new byte[chunk.remaining()];
      chunk.get(bytes);
      content.writeBytes(bytes);
      return false;
    }

    @Override
    public boolean contentComplete() {
      return false;
    }

    @Override
    public boolean messageComplete() {
      done = true;
      return true;
    }

    @Override
    public void earlyEOF() {
      done = true;
    }

    @Override
    public void badMessage(org.eclipse.jetty.http.HttpException failure) {
      throw new IllegalStateException("the replica's answer is not HTTP: " + failure.getReason());
    }
  }
}
