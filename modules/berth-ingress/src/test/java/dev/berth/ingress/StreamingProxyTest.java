package dev.berth.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.testing.LoopbackServer;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bodies and streams through the ingress, and what a client gets when the replica does not answer.
 */
class StreamingProxyTest {

  private static final String APP = "stream.env.localhost";

  private IngressFixture ingress;

  @BeforeEach
  void start() throws Exception {
    ingress = IngressFixture.http();
  }

  @AfterEach
  void stop() {
    ingress.close();
  }

  @Test
  void aRequestBodyLargerThanTheBuffersStreamsThereAndBack() throws Exception {
    byte[] body = new byte[8 << 20];
    new Random(12).nextBytes(body);
    try (LoopbackServer echo =
        LoopbackServer.http(
            (request, response, callback) -> {
              Content.copy(request, response, callback);
              return true;
            })) {
      ingress.routes.put(APP, IngressFixture.servedBy("stream", echo));

      InputStreamResponseListener listener = new InputStreamResponseListener();
      ingress
          .request(APP, "/echo")
          .method("POST")
          .body(new BytesRequestContent("application/octet-stream", body))
          .send(listener);

      assertThat(listener.get(10, TimeUnit.SECONDS).getStatus()).isEqualTo(200);
      try (InputStream in = listener.getInputStream()) {
        // Read as a stream: the echo is larger than any buffer on the way, client's included.
        assertThat(sha256(in.readAllBytes())).isEqualTo(sha256(body));
      }
    }
  }

  @Test
  void serverSentEventsArriveOneByOneAsTheAppFlushesThem() throws Exception {
    CountDownLatch firstRead = new CountDownLatch(1);
    try (LoopbackServer events =
        LoopbackServer.http(
            (request, response, callback) -> {
              response.getHeaders().put("Content-Type", "text/event-stream");
              write(response, "data: one\n\n");
              // The second event waits until the client has read the first through the proxy.
              if (!firstRead.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the first event never reached the client");
              }
              write(response, "data: two\n\n");
              response.write(true, null, callback);
              return true;
            })) {
      ingress.routes.put(APP, IngressFixture.servedBy("stream", events));
      InputStreamResponseListener listener = new InputStreamResponseListener();
      ingress.request(APP, "/events").send(listener);

      assertThat(listener.get(10, TimeUnit.SECONDS).getStatus()).isEqualTo(200);
      try (InputStream in = listener.getInputStream();
          BufferedReader lines =
              new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        assertThat(lines.readLine()).isEqualTo("data: one");
        assertThat(lines.readLine()).isEmpty();
        firstRead.countDown();
        assertThat(lines.readLine()).isEqualTo("data: two");
      }
    }
  }

  /**
   * HTTP/1.0 has no chunked encoding: a streamed answer reaches such a client ended by the close.
   */
  @Test
  void anHttp10ClientGetsAStreamedAnswerWithoutChunksEndedByTheClose() throws Exception {
    try (LoopbackServer streaming =
        LoopbackServer.http(
            (request, response, callback) -> {
              write(response, "one ");
              write(response, "two");
              response.write(true, null, callback);
              return true;
            })) {
      ingress.routes.put(APP, IngressFixture.servedBy("stream", streaming));
      try (java.net.Socket socket = new java.net.Socket("127.0.0.1", ingress.port())) {
        socket.setSoTimeout(10_000);
        socket
            .getOutputStream()
            .write(
                ("GET / HTTP/1.0\r\nHost: " + APP + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));

        String answer =
            new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);

        assertThat(answer).startsWith("HTTP/1.1 200").doesNotContainIgnoringCase("chunked");
        assertThat(answer).endsWith("\r\n\r\none two");
      }
    }
  }

  @Test
  void aReplicaSlowerThanTheRequestTimeoutIsA504() throws Exception {
    try (IngressFixture shortTimeout =
            new IngressFixture(
                IngressSettings.defaults().withRequestTimeout(Duration.ofMillis(300)), false);
        LoopbackServer slow =
            LoopbackServer.http(
                (request, response, callback) -> {
                  Thread.sleep(3_000);
                  callback.succeeded();
                  return true;
                })) {
      shortTimeout.routes.put(APP, IngressFixture.servedBy("stream", slow));

      ContentResponse response = shortTimeout.get(APP, "/");

      assertThat(response.getStatus()).isEqualTo(504);
    }
  }

  /** Container Apps' timeout bounds the whole request, even one whose replica never goes quiet. */
  @Test
  void aResponseStillStreamingAtTheRequestTimeoutIsCut() throws Exception {
    try (IngressFixture shortTimeout =
            new IngressFixture(
                IngressSettings.defaults().withRequestTimeout(Duration.ofMillis(500)), false);
        LoopbackServer trickle =
            LoopbackServer.http(
                (request, response, callback) -> {
                  for (int i = 0; i < 50; i++) {
                    write(response, "tick\n");
                    Thread.sleep(100);
                  }
                  response.write(true, null, callback);
                  return true;
                })) {
      shortTimeout.routes.put(APP, IngressFixture.servedBy("stream", trickle));
      long start = System.nanoTime();

      assertThatThrownBy(() -> shortTimeout.get(APP, "/")).isInstanceOf(ExecutionException.class);
      // The replica would stream for 5 s; the ingress ends it near its 0.5 s timeout.
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }
  }

  @Test
  void aReplicaThatRefusesConnectionsIsA502() throws Exception {
    int closedPort;
    try (LoopbackServer gone = LoopbackServer.http((request, response, callback) -> false)) {
      closedPort = gone.port();
    }
    ingress.routes.put(
        APP,
        AppRoute.serving(
            "stream", "stream--1", true, java.util.List.of(new Backend("127.0.0.1", closedPort))));

    assertThat(ingress.get(APP, "/").getStatus()).isEqualTo(502);
  }

  @Test
  void aReplicaThatDiesBeforeAnsweringIsA502() throws Exception {
    try (RawBackend dying = RawBackend.answering("")) {
      ingress.routes.put(APP, dying.route());

      assertThat(ingress.get(APP, "/").getStatus()).isEqualTo(502);
    }
  }

  /** Shell CGI scripts end header lines with a bare LF, and busybox httpd passes them on. */
  @Test
  void anAnswerWhoseLinesEndInABareLineFeedIsRelayed() throws Exception {
    try (RawBackend cgi =
        RawBackend.answering("HTTP/1.1 200 OK\r\nContent-Type: text/plain\n\nslow\n")) {
      ingress.routes.put(APP, cgi.route());

      ContentResponse response = ingress.get(APP, "/cgi-bin/slow");

      assertThat(response.getStatus()).isEqualTo(200);
      assertThat(response.getHeaders().get("Content-Type")).isEqualTo("text/plain");
      assertThat(response.getContentAsString()).isEqualTo("slow\n");
    }
  }

  @Test
  void anAnswerThatIsNotHttpIsA502() throws Exception {
    try (RawBackend garbage = RawBackend.answering("SSH-2.0-OpenSSH_9.2\r\n\r\n")) {
      ingress.routes.put(APP, garbage.route());

      assertThat(ingress.get(APP, "/").getStatus()).isEqualTo(502);
    }
  }

  @Test
  void aGetWhoseConnectionsTheOnlyReplicaResetsIsTriedAgainThereAndAnswered() throws Exception {
    try (RawBackend bursting =
        RawBackend.resettingFirst(3, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")) {
      ingress.routes.put(APP, bursting.route());

      var response = ingress.get(APP, "/");

      assertThat(response.getStatus()).isEqualTo(200);
      assertThat(response.getContentAsString()).isEqualTo("ok");
      assertThat(bursting.accepted()).isEqualTo(4);
    }
  }

  @Test
  void aPostWhoseConnectionIsResetIsNotSentTwice() throws Exception {
    try (RawBackend bursting =
        RawBackend.resettingFirst(1, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")) {
      ingress.routes.put(APP, bursting.route());

      var response =
          ingress
              .request(APP, "/")
              .method("POST")
              .body(new org.eclipse.jetty.client.StringRequestContent("x"))
              .send();

      assertThat(response.getStatus()).isEqualTo(502);
      assertThat(bursting.accepted()).isEqualTo(1);
    }
  }

  @Test
  void aReplicaThatDiesMidBodyCutsTheClientsResponseAtOnce() throws Exception {
    try (RawBackend dying =
        RawBackend.answering(
            "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + "x".repeat(10))) {
      ingress.routes.put(APP, dying.route());
      long start = System.nanoTime();

      // The client's deadline is 10 s: failing well inside it means the proxy did not hang.
      assertThatThrownBy(() -> ingress.get(APP, "/")).isInstanceOf(ExecutionException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
  }

  private static void write(Response response, String text) throws Exception {
    try (Blocker.Callback written = Blocker.callback()) {
      response.write(false, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), written);
      written.block();
    }
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
