package dev.berth.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.eclipse.jetty.server.Request;
import org.junit.jupiter.api.Test;

class LoopbackServerTest {

  private static final Request.Handler ECHO_PATH =
      (request, response, callback) -> {
        byte[] body = request.getHttpURI().getPath().getBytes(StandardCharsets.UTF_8);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
      };

  @Test
  void aClientTrustingTheTestCaGetsTheAnswerByAddressAndByName() throws Exception {
    try (LoopbackServer server = LoopbackServer.https(ECHO_PATH)) {
      HttpClient client = HttpClient.newBuilder().sslContext(TestCa.get().clientContext()).build();

      // The JDK client checks the name against the certificate's subjectAltName entries.
      assertThat(get(client, server.uri().resolve("/by-address"))).isEqualTo("/by-address");
      assertThat(get(client, URI.create("https://localhost:" + server.port() + "/by-name")))
          .isEqualTo("/by-name");
      assertThat(server.uri().toString()).isEqualTo("https://127.0.0.1:" + server.port());
    }
  }

  @Test
  void aClientWithTheDefaultTrustRefusesTheServer() throws Exception {
    try (LoopbackServer server = LoopbackServer.https(ECHO_PATH)) {
      HttpClient client = HttpClient.newBuilder().sslContext(SSLContext.getDefault()).build();

      assertThatThrownBy(() -> get(client, server.uri().resolve("/")))
          .isInstanceOf(SSLHandshakeException.class);
    }
  }

  @Test
  void theCaPemFileHoldsTheCaCertificate() throws Exception {
    try (InputStream in = Files.newInputStream(TestCa.get().caPem())) {
      assertThat(CertificateFactory.getInstance("X.509").generateCertificate(in))
          .isEqualTo(TestCa.get().certificate());
    }
    assertThat(TestCa.get().certificate().getBasicConstraints()).isGreaterThanOrEqualTo(0);
  }

  @Test
  void aPlainServerAnswersOverHttp() throws Exception {
    try (LoopbackServer server = LoopbackServer.http(ECHO_PATH)) {
      assertThat(get(HttpClient.newHttpClient(), server.uri().resolve("/plain")))
          .isEqualTo("/plain");
      assertThat(server.uri().getScheme()).isEqualTo("http");
    }
  }

  private static String get(HttpClient client, URI uri) throws Exception {
    HttpResponse<String> response =
        client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }
}
