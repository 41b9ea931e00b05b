package dev.berth.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testing.LoopbackServer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ingress' own answers (404, 503, redirects) and what it sends on to a replica, on loopback.
 */
class HostRoutingTest {

  private IngressFixture ingress;
  private LoopbackServer echo;

  @BeforeEach
  void start() throws Exception {
    ingress = IngressFixture.http();
    echo = LoopbackServer.http(HostRoutingTest::echoHeaders);
  }

  @AfterEach
  void stop() throws Exception {
    echo.close();
    ingress.close();
  }

  @Test
  void anUnknownHostIsA404SayingNoAppHasThatName() throws Exception {
    ContentResponse response = ingress.get("nothing.env.localhost", "/");

    assertThat(response.getStatus()).isEqualTo(404);
    assertThat(response.getMediaType()).isEqualTo("text/plain");
    assertThat(response.getContentAsString())
        .isEqualTo("No container app has the host name nothing.env.localhost.\n");
  }

  @Test
  void anAppThatCannotServeIsA503CarryingItsRevisionsReason() throws Exception {
    ingress.routes.put(
        "api.env.localhost",
        AppRoute.failed(
            "api",
            "api--abc",
            true,
            "revision api--abc failed: image pull UNAUTHORIZED\ndiagnosis: no AcrPull role"));

    ContentResponse response = ingress.get("api.env.localhost", "/");

    assertThat(response.getStatus()).isEqualTo(503);
    assertThat(response.getContentAsString())
        .contains("Container app api cannot serve requests")
        .contains("revision api--abc failed: image pull UNAUTHORIZED")
        .contains("diagnosis: no AcrPull role");
  }

  @Test
  void anAppWithNoReadyReplicaIsA503() throws Exception {
    ingress.routes.put("api.env.localhost", AppRoute.serving("api", true, List.of()));

    ContentResponse response = ingress.get("api.env.localhost", "/");

    assertThat(response.getStatus()).isEqualTo(503);
    assertThat(response.getHeaders().get("Retry-After")).isEqualTo("1");
    assertThat(response.getContentAsString()).contains("api has no replica ready");
  }

  @Test
  void plainHttpToAnAppThatDisallowsItRedirectsToHttps() throws Exception {
    ingress.routes.put(
        "api.env.localhost",
        AppRoute.serving("api", "api--1", false, List.of(new Backend("127.0.0.1", echo.port()))));

    ContentResponse get = ingress.get("API.env.localhost:8080", "/a/b?c=d%20e");
    ContentResponse post = ingress.request("api.env.localhost", "/form").method("POST").send();

    assertThat(get.getStatus()).isEqualTo(301);
    assertThat(get.getHeaders().get("Location")).isEqualTo("https://api.env.localhost/a/b?c=d%20e");
    assertThat(post.getStatus()).isEqualTo(308);
    assertThat(post.getHeaders().get("Location")).isEqualTo("https://api.env.localhost/form");
  }

  @Test
  void theRedirectNamesAConfiguredHttpsPort() throws Exception {
    try (IngressFixture onPort =
        new IngressFixture(IngressSettings.defaults().withHttpsPort(8443), false)) {
      onPort.routes.put("api.env.localhost", AppRoute.serving("api", "api--1", false, List.of()));

      ContentResponse response = onPort.get("api.env.localhost", "/x");

      assertThat(response.getHeaders().get("Location"))
          .isEqualTo("https://api.env.localhost:8443/x");
    }
  }

  @Test
  void aRequestReachesTheAppWithItsHostPathAndForwardingHeaders() throws Exception {
    ingress.routes.put("api.env.localhost", IngressFixture.servedBy("api", echo));

    ContentResponse response =
        ingress
            .request("Api.Env.Localhost", "/p/q%20r?x=1")
            .headers(
                h -> {
                  h.put("X-Forwarded-For", "203.0.113.9");
                  h.put("X-Forwarded-Proto", "https");
                  h.put("X-Request-Id", "forged");
                  h.put("Connection", "X-Private");
                  h.put("X-Private", "hop-by-hop");
                })
            .send();

    assertThat(response.getStatus()).isEqualTo(200);
    assertThat(response.getHeaders().get("X-Echo")).isEqualTo("yes");
    String seen = response.getContentAsString();
    assertThat(seen)
        .contains("uri: /p/q%20r?x=1\n")
        .contains("Host: Api.Env.Localhost\n")
        .contains("X-Forwarded-For: 203.0.113.9, 127.0.0.1\n")
        .contains("X-Forwarded-Proto: http\n")
        .contains("X-Forwarded-Host: Api.Env.Localhost\n")
        .containsPattern("X-Request-Id: [0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-")
        .doesNotContain("forged")
        .doesNotContain("X-Private")
        .doesNotContain("Via:")
        .doesNotContain("Forwarded: by=");
  }

  @Test
  void overHttpsTheAppSeesHttpsAndIsNotRedirected() throws Exception {
    try (IngressFixture https = new IngressFixture(IngressSettings.defaults(), true)) {
      https.routes.put(
          "api.env.localhost",
          AppRoute.serving("api", "api--1", false, List.of(new Backend("127.0.0.1", echo.port()))));

      ContentResponse response = https.get("api.env.localhost", "/");

      assertThat(response.getStatus()).isEqualTo(200);
      assertThat(response.getContentAsString()).contains("X-Forwarded-Proto: https\n");
    }
  }

  /**
   * A WebSocket handshake reaches the app with its {@code Upgrade} (the tunnel, not Jetty's proxy,
   * carries it); an app that answers it with a plain 200 is relayed as such (WebSocketTunnelTest
   * has the 101 case).
   */
  @Test
  void aWebSocketHandshakeReachesTheAppWithItsUpgrade() throws Exception {
    ingress.routes.put("api.env.localhost", IngressFixture.servedBy("api", echo));

    ContentResponse response =
        ingress
            .request("api.env.localhost", "/ws")
            .headers(
                h -> {
                  h.put("Connection", "Upgrade");
                  h.put("Upgrade", "websocket");
                  h.put("Sec-WebSocket-Version", "13");
                  h.put("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
                })
            .send();

    assertThat(response.getStatus()).isEqualTo(200);
    assertThat(response.getContentAsString())
        .contains("Upgrade: websocket\n")
        .contains("Connection: Upgrade\n")
        .contains("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\n")
        .contains("X-Forwarded-For: 127.0.0.1\n");
  }

  /** HTTP/1.1 answers in order: a pipelined request waits for the one before it. */
  @Test
  void pipelinedRequestsAreAnsweredInOrderOnOneConnection() throws Exception {
    ingress.routes.put("api.env.localhost", IngressFixture.servedBy("api", echo));
    try (java.net.Socket client = new java.net.Socket("127.0.0.1", ingress.port())) {
      client.setSoTimeout(10_000);
      String get = "GET /%s HTTP/1.1\r\nHost: api.env.localhost\r\n\r\n";
      client
          .getOutputStream()
          .write(
              (get.formatted("first") + get.formatted("second") + get.formatted("third"))
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      client.shutdownOutput();

      String answers =
          new String(
              client.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);

      assertThat(answers).containsSubsequence("uri: /first", "uri: /second", "uri: /third");
      assertThat(answers.split("HTTP/1.1 200", -1)).hasSize(4);
    }
  }

  @Test
  void requestsGoRoundTheRouteReplicas() throws Exception {
    try (LoopbackServer other = LoopbackServer.http(HostRoutingTest::echoHeaders)) {
      ingress.routes.put("api.env.localhost", IngressFixture.servedBy("api", echo, other));

      ContentResponse first = ingress.get("api.env.localhost", "/");
      ContentResponse second = ingress.get("api.env.localhost", "/");

      assertThat(first.getHeaders().get("X-Port")).isNotEqualTo(second.getHeaders().get("X-Port"));
    }
  }

  /** Answers with the request's URI and headers, one per line, and marks the response. */
  private static boolean echoHeaders(Request request, Response response, Callback callback) {
    StringBuilder body = new StringBuilder("uri: " + request.getHttpURI().getPathQuery() + "\n");
    for (HttpField field : request.getHeaders()) {
      body.append(field.getName()).append(": ").append(field.getValue()).append('\n');
    }
    response.getHeaders().put("X-Echo", "yes");
    response.getHeaders().put("X-Port", Request.getLocalPort(request));
    response.write(
        true, ByteBuffer.wrap(body.toString().getBytes(StandardCharsets.UTF_8)), callback);
    return true;
  }
}
