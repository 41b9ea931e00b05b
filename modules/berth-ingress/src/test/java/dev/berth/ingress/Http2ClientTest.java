package dev.berth.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.net.IpRange;
import dev.berth.testing.TestCa;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Clients that choose HTTP/2 in ALPN on an HTTPS listener: each stream is routed and proxied as an
 * HTTP/1.1 request is (to an {@code auto} app's replica over HTTP/1.1, to an {@code http2} app's
 * over h2c with {@code TE: trailers} and the answer's trailers), and the connection has bounds of
 * its own. Clients: the JDK's (HTTP/2 by ALPN), and {@link Http2TestClient} where a test reads
 * frames. The replica (Jetty, HTTP/1.1 and h2c on one port) says what it got.
 */
class Http2ClientTest {

  private static final Duration IDLE = Duration.ofSeconds(1);

  private IngressServer server;
  private IngressServer.Listener listener;
  private final InMemoryRouteTable routes = new InMemoryRouteTable();
  private Server replica;
  private ServerConnector connector;
  private HttpClient jdk;

  @BeforeEach
  void start() throws Exception {
    replica = new Server();
    connector = IngressFixture.http11AndH2c(replica);
    replica.setHandler(new Replica());
    replica.start();
    server = new IngressServer(new ConnectionLimits(10_000, PeerGate.OPEN, IDLE, IDLE, 16 * 1024));
    listener =
        server.listen("127.0.0.1", 0, Optional.of(IngressTls.jdk(IngressFixture.serverContext())));
    server.start(routes, IngressSettings.defaults(), IngressWiring.none());
    routeTo(false);
    jdk =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_2)
            .sslContext(TestCa.get().clientContext())
            .build();
  }

  @AfterEach
  void stop() throws Exception {
    jdk.close();
    listener.close();
    server.close();
    replica.stop();
  }

  /** {@code localhost} is an app of one replica, reached over h2c when {@code http2}. */
  private void routeTo(boolean http2) {
    routes.put(
        "localhost",
        AppRoute.serving("api", true, List.of(new Backend("127.0.0.1", connector.getLocalPort())))
            .withPolicy(
                new IngressPolicy(false, List.of(), false, false, Optional.empty(), http2)));
  }

  private URI uri(String path) {
    return URI.create("https://localhost:" + listener.port() + path);
  }

  @Test
  void anHttp2ClientIsAnsweredOverHttp2ByAnHttp11Replica() throws Exception {
    HttpResponse<String> answer =
        jdk.send(
            HttpRequest.newBuilder(uri("/seen?q=1")).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(answer.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(answer.statusCode()).isEqualTo(200);
    // The replica got HTTP/1.1, the client's authority as Host, the path and query as sent, and
    // none of the x-http2-* headers Netty's stream codec adds.
    assertThat(answer.body())
        .isEqualTo(
            "HTTP/1.1 GET /seen?q=1 host=localhost:"
                + listener.port()
                + " proto=https te=null x-http2=false");
  }

  @Test
  void anHttp11ClientOverTlsStillSpeaksHttp11() throws Exception {
    try (HttpClient http11 =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .sslContext(TestCa.get().clientContext())
            .build()) {
      HttpResponse<String> answer =
          http11.send(
              HttpRequest.newBuilder(uri("/seen")).build(), HttpResponse.BodyHandlers.ofString());

      assertThat(answer.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
      assertThat(answer.body()).startsWith("HTTP/1.1 GET /seen host=localhost:");
    }
  }

  @Test
  void aHundredStreamsAtOnceOnOneConnectionAreAllAnswered() throws Exception {
    List<CompletableFuture<HttpResponse<String>>> answers =
        IntStream.range(0, 100) // the limit the connection announces
            .mapToObj(
                i ->
                    jdk.sendAsync(
                        HttpRequest.newBuilder(uri("/seen?i=" + i)).build(),
                        HttpResponse.BodyHandlers.ofString()))
            .toList();

    for (int i = 0; i < answers.size(); i++) {
      HttpResponse<String> answer = answers.get(i).get();
      assertThat(answer.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(answer.body()).startsWith("HTTP/1.1 GET /seen?i=" + i + " ");
    }
  }

  @Test
  void aStreamWhoseReplicaDoesNotAnswerGets504ByTheRequestTimeoutAndTheConnectionServesOn()
      throws Exception {
    // An ingress with a short request timeout: a stream's deadline is checked by its connection.
    IngressServer quick =
        new IngressServer(new ConnectionLimits(10_000, PeerGate.OPEN, IDLE, IDLE, 16 * 1024));
    IngressServer.Listener tls =
        quick.listen("127.0.0.1", 0, Optional.of(IngressTls.jdk(IngressFixture.serverContext())));
    quick.start(
        routes,
        IngressSettings.defaults().withRequestTimeout(Duration.ofMillis(300)),
        IngressWiring.none());
    try {
      URI base = URI.create("https://localhost:" + tls.port());
      long started = System.nanoTime();
      HttpResponse<String> late =
          jdk.send(
              HttpRequest.newBuilder(base.resolve("/hang")).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(late.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(late.statusCode()).isEqualTo(504);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
      // The same connection (the JDK keeps one per host) serves the next stream.
      HttpResponse<String> next =
          jdk.send(
              HttpRequest.newBuilder(base.resolve("/seen")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(next.statusCode()).isEqualTo(200);
    } finally {
      tls.close();
      quick.close();
    }
  }

  @Test
  void anUploadStreamsToTheReplicaAndItsEchoBack() throws Exception {
    byte[] body = new byte[4 << 20];
    new Random(7).nextBytes(body);

    HttpResponse<byte[]> answer =
        jdk.send(
            HttpRequest.newBuilder(uri("/echo"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo(body);
  }

  @Test
  void anHttp2AppGetsTeTrailersAndItsTrailersReachTheClient() throws Exception {
    routeTo(true);
    try (Http2TestClient client = new Http2TestClient(listener.port())) {
      Http2Headers request = Http2TestClient.headers("POST", "/trailers", "localhost");
      request.add("te", "trailers").add("content-type", "application/grpc");

      Http2TestClient.Answer answer =
          client.exchange(request, "hello".getBytes(StandardCharsets.US_ASCII), null);

      assertThat(answer.status()).isEqualTo("200");
      assertThat(new String(answer.body(), StandardCharsets.US_ASCII))
          .isEqualTo("HTTP/2.0 POST /trailers te=trailers body=5");
      assertThat(answer.trailers()).isNotNull();
      assertThat(answer.trailers().get("grpc-status")).hasToString("0");
    }
  }

  @Test
  void aHostThatDisagreesWithTheAuthorityIsRefusedAndOneThatAgreesGoesOn() throws Exception {
    try (Http2TestClient client = new Http2TestClient(listener.port())) {
      Http2Headers agreeing = Http2TestClient.headers("GET", "/seen", "localhost");
      agreeing.add("host", "localhost");
      Http2Headers disagreeing = Http2TestClient.headers("GET", "/seen", "localhost");
      disagreeing.add("host", "other.localhost");

      assertThat(client.exchange(agreeing, null, null).status()).isEqualTo("200");
      Http2TestClient.Answer refused = client.exchange(disagreeing, null, null);
      assertThat(refused.status()).isEqualTo("400");
      assertThat(new String(refused.body(), StandardCharsets.UTF_8)).contains("one Host header");
      // A refused stream, not a refused connection.
      assertThat(client.exchange(agreeing, null, null).status()).isEqualTo("200");
    }
  }

  @Test
  void anUnknownHostIs404OverHttp2Too() throws Exception {
    try (Http2TestClient client = new Http2TestClient(listener.port())) {
      Http2TestClient.Answer answer =
          client.exchange(Http2TestClient.headers("GET", "/", "nobody.localhost"), null, null);

      assertThat(answer.status()).isEqualTo("404");
      assertThat(new String(answer.body(), StandardCharsets.UTF_8)).contains("nobody.localhost");
    }
  }

  @Test
  void ipRestrictionsApplyToEachStreamByTheConnectionsPeer() throws Exception {
    restrictLoopback(false);
    HttpResponse<String> denied =
        jdk.send(
            HttpRequest.newBuilder(uri("/seen")).build(), HttpResponse.BodyHandlers.ofString());
    restrictLoopback(true);
    HttpResponse<String> allowed =
        jdk.send(
            HttpRequest.newBuilder(uri("/seen")).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(denied.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(allowed.statusCode()).isEqualTo(200);
  }

  /** The app with one IP rule over 127.0.0.0/8: an {@code Allow} rule, or a {@code Deny} one. */
  private void restrictLoopback(boolean allow) {
    routes.put(
        "localhost",
        AppRoute.serving("api", true, List.of(new Backend("127.0.0.1", connector.getLocalPort())))
            .withPolicy(
                new IngressPolicy(
                    false,
                    List.of(IpRange.parse("127.0.0.0/8")),
                    allow,
                    false,
                    Optional.empty(),
                    false)));
  }

  @Test
  void theConnectionAnnouncesItsStreamAndHeaderLimits() throws Exception {
    try (Http2TestClient client = new Http2TestClient(listener.port())) {
      Http2SettingsFrame settings = client.next(Http2SettingsFrame.class);

      assertThat(settings).isNotNull();
      assertThat(settings.settings().maxConcurrentStreams()).isEqualTo(100L);
      assertThat(settings.settings().maxHeaderListSize()).isEqualTo(16L * 1024);
    }
  }

  @Test
  void aHeaderListOverTheLimitIsRefusedWithoutTheConnection() throws Exception {
    try (Http2TestClient client = new Http2TestClient(listener.port())) {
      Http2Headers big = Http2TestClient.headers("GET", "/seen", "localhost");
      big.add("x-big", "x".repeat(20_000));

      Http2TestClient.Answer refused = client.exchange(big, null, null);

      assertThat(refused.status()).isEqualTo("431");
      assertThat(
              client
                  .exchange(Http2TestClient.headers("GET", "/seen", "localhost"), null, null)
                  .status())
          .isEqualTo("200");
    }
  }

  @Test
  void aConnectionWithNoStreamIsClosedWithAGoAwayAfterTheIdleTimeout() throws Exception {
    try (Http2TestClient client = new Http2TestClient(listener.port())) {
      assertThat(
              client
                  .exchange(Http2TestClient.headers("GET", "/seen", "localhost"), null, null)
                  .status())
          .isEqualTo("200");

      assertThat(client.closesWithin(IDLE.toSeconds() + 3)).isTrue();
      assertThat(client.next(Http2GoAwayFrame.class)).isNotNull();
    }
  }

  @Test
  void aConnectionInUseIsNotClosedAsIdle() throws Exception {
    try (Http2TestClient client = new Http2TestClient(listener.port())) {
      // Short requests, each over before the idle check sees it open, for twice the idle time.
      long end = System.nanoTime() + IDLE.multipliedBy(2).toNanos();
      while (System.nanoTime() < end) {
        assertThat(
                client
                    .exchange(Http2TestClient.headers("GET", "/seen", "localhost"), null, null)
                    .status())
            .isEqualTo("200");
        Thread.sleep(100);
      }
      assertThat(client.isOpen()).isTrue();
    }
  }

  @Test
  void onThePlainListenerAClientWithPriorKnowledgeSpeaksHttp2() throws Exception {
    try (IngressServer.Listener plain = server.listen("127.0.0.1", 0, Optional.empty());
        Http2TestClient client = Http2TestClient.cleartext(plain.port())) {
      // allowInsecure: served over plain HTTP, to an HTTP/1.1 replica.
      Http2TestClient.Answer served =
          client.exchange(Http2TestClient.plainHeaders("GET", "/seen", "localhost"), null, null);
      assertThat(served.status()).isEqualTo("200");
      assertThat(new String(served.body(), StandardCharsets.US_ASCII))
          .isEqualTo("HTTP/1.1 GET /seen host=localhost proto=http te=null x-http2=false");

      // Not allowInsecure: redirected to HTTPS, as an HTTP/1.1 client is.
      routes.put(
          "localhost",
          AppRoute.serving(
              "api", false, List.of(new Backend("127.0.0.1", connector.getLocalPort()))));
      Http2TestClient.Answer redirected =
          client.exchange(Http2TestClient.plainHeaders("GET", "/x", "localhost"), null, null);
      assertThat(redirected.status()).isEqualTo("301");
      assertThat(redirected.headers().get("location")).hasToString("https://localhost/x");
    }
  }

  @Test
  void onThePlainListenerHttp11StillWorksAfterTheFirstBytesAreRead() throws Exception {
    try (IngressServer.Listener plain = server.listen("127.0.0.1", 0, Optional.empty());
        java.net.Socket socket = new java.net.Socket("127.0.0.1", plain.port())) {
      socket.setSoTimeout(5_000);
      var out = socket.getOutputStream();
      // "P" could begin the preface: the ingress must wait for the next byte to know.
      out.write("P".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      Thread.sleep(100);
      out.write(
          "OST /seen HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String head = new String(socket.getInputStream().readNBytes(15), StandardCharsets.US_ASCII);
      assertThat(head).isEqualTo("HTTP/1.1 200 OK");
    }
  }

  /** Says what it got; echoes a body at /echo; answers with trailers at /trailers. */
  private static final class Replica extends Handler.Abstract {
    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      String path = request.getHttpURI().getPathQuery();
      if (path.equals("/hang")) {
        return true; // never answers: the callback is left alone until the connection goes
      }
      if (path.equals("/echo")) {
        byte[] body = Content.Source.asByteBuffer(request).array();
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
      }
      HttpFields headers = request.getHeaders();
      String body = Content.Source.asString(request);
      String seen =
          request.getConnectionMetaData().getHttpVersion().asString()
              + " "
              + request.getMethod()
              + " "
              + path
              + (path.equals("/trailers")
                  ? " te=" + headers.get("te") + " body=" + body.length()
                  : " host="
                      + headers.get("host")
                      + " proto="
                      + headers.get("x-forwarded-proto")
                      + " te="
                      + headers.get("te")
                      + " x-http2="
                      + headers.stream()
                          .map(HttpField::getLowerCaseName)
                          .anyMatch(n -> n.startsWith("x-http2")));
      if (path.equals("/trailers")) {
        response.setTrailersSupplier(() -> HttpFields.build().put("grpc-status", "0"));
      }
      response.write(true, ByteBuffer.wrap(seen.getBytes(StandardCharsets.US_ASCII)), callback);
      return true;
    }
  }
}
