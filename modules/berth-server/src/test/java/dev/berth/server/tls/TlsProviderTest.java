package dev.berth.server.tls;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.berth.server.DataDir;
import dev.berth.server.ServerConfig;
import io.netty.util.ReferenceCounted;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TlsProviderTest {

  /** A body of several hundred TLS records, so that every record path of the engine runs. */
  private static final byte[] BODY = new byte[3 << 20];

  static {
    new Random(7).nextBytes(BODY);
  }

  @TempDir Path dir;

  @Test
  void parsesTheThreeNamesInAnyCase() {
    assertThat(TlsProvider.parse("auto")).isEqualTo(TlsProvider.AUTO);
    assertThat(TlsProvider.parse(" JDK ")).isEqualTo(TlsProvider.JDK);
    assertThat(TlsProvider.parse("BoringSSL")).isEqualTo(TlsProvider.BORINGSSL);
  }

  @Test
  void anUnknownNameSaysWhatIsAccepted() {
    assertThatThrownBy(() -> TlsProvider.parse("openssl"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown TLS provider 'openssl': use auto, jdk or boringssl");
  }

  @Test
  void autoIsBoringSslOnLinuxAndTheJdkStaysTheJdk() {
    assertThat(TlsProvider.AUTO.effective()).isEqualTo(TlsProvider.BORINGSSL);
    assertThat(TlsProvider.JDK.effective()).isEqualTo(TlsProvider.JDK);
  }

  @Test
  void boringSslReadsAndWritesRecordsInDirectBuffers() throws Exception {
    var tls = TlsProvider.BORINGSSL.connectionFactory(identity(), "http/1.1");
    assertThat(tls.isDirectBuffersForEncryption()).isTrue();
    assertThat(tls.isDirectBuffersForDecryption()).isTrue();
    assertThat(tls.getNextProtocol()).isEqualTo("http/1.1");
    var jdk = TlsProvider.JDK.connectionFactory(identity(), "http/1.1");
    assertThat(jdk.isDirectBuffersForEncryption()).isFalse();
  }

  /**
   * Each engine serves TLS 1.3 and a body of a few megabytes intact, over fresh connections one
   * after another (BoringSSL's engines are freed as their connections close) and over one kept
   * alive.
   */
  @ParameterizedTest
  @EnumSource(names = {"JDK", "BORINGSSL"})
  void eachEngineServesTls13AndLargeBodiesIntact(TlsProvider provider) throws Exception {
    ServerConnector connector = serve(provider, BODY);
    try {
      URI uri = URI.create("https://localhost:" + connector.getLocalPort() + "/");
      for (int i = 0; i < 20; i++) {
        try (HttpClient fresh = client()) {
          assertThat(sha256(get(fresh, uri))).isEqualTo(sha256(BODY));
        }
      }
      try (HttpClient kept = client()) {
        for (int i = 0; i < 5; i++) {
          assertThat(sha256(get(kept, uri))).isEqualTo(sha256(BODY));
        }
      }
    } finally {
      connector.getServer().stop();
    }
  }

  /** BoringSSL's engines hold native memory: each is released once its connection closes. */
  @Test
  void boringSslReleasesEachEngineWhenItsConnectionCloses() throws Exception {
    ServerConnector connector = serve(TlsProvider.BORINGSSL, "ok".getBytes(UTF_8));
    try {
      URI uri = URI.create("https://localhost:" + connector.getLocalPort() + "/");
      ReferenceCounted engine;
      try (HttpClient client = client()) {
        assertThat(get(client, uri)).isEqualTo("ok".getBytes(UTF_8));
        engine = (ReferenceCounted) openEngine(connector);
        assertThat(engine.refCnt()).isEqualTo(1);
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> engine.refCnt() == 0);
    } finally {
      connector.getServer().stop();
    }
  }

  @Test
  void theOptionWinsOverTheEnvironmentWhichWinsOverAuto() {
    Path dir = Path.of("/tmp/unused");
    assertThat(resolve(dir, null, Map.of()).tls()).isEqualTo(TlsProvider.AUTO);
    assertThat(resolve(dir, null, Map.of("BERTH_TLS_PROVIDER", "jdk")).tls())
        .isEqualTo(TlsProvider.JDK);
    assertThat(resolve(dir, "boringssl", Map.of("BERTH_TLS_PROVIDER", "jdk")).tls())
        .isEqualTo(TlsProvider.BORINGSSL);
    assertThatThrownBy(() -> resolve(dir, null, Map.of("BERTH_TLS_PROVIDER", "rustls")))
        .hasMessageContaining("use auto, jdk or boringssl");
    assertThat(ServerConfig.of(new DataDir(dir), "127.0.0.1", 0).tls()).isEqualTo(TlsProvider.AUTO);
  }

  private ServerIdentity identity() throws Exception {
    var ca =
        LocalCertificateAuthority.loadOrCreate(dir.resolve("ca.pem"), dir.resolve("ca-key.pem"));
    return ca.serverIdentity(
        dir.resolve("server.pem"), dir.resolve("server-key.pem"), Set.of("localhost", "127.0.0.1"));
  }

  /** A Jetty server on {@code provider}'s engine that answers every request with {@code body}. */
  private ServerConnector serve(TlsProvider provider, byte[] body) throws Exception {
    Server jetty = new Server();
    ServerConnector connector =
        new ServerConnector(
            jetty, provider.connectionFactory(identity(), "http/1.1"), new HttpConnectionFactory());
    connector.setHost("127.0.0.1");
    jetty.addConnector(connector);
    jetty.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback) {
            response.write(true, ByteBuffer.wrap(body), callback);
            return true;
          }
        });
    jetty.start();
    return connector;
  }

  private static SSLEngine openEngine(ServerConnector connector) {
    return connector.getConnectedEndPoints().stream()
        .map(endPoint -> ((SslConnection) endPoint.getConnection()).getSSLEngine())
        .findFirst()
        .orElseThrow();
  }

  private HttpClient client() throws Exception {
    return HttpClient.newBuilder()
        .sslContext(Trust.onlyCa(dir.resolve("ca.pem")))
        .version(HttpClient.Version.HTTP_1_1)
        .build();
  }

  private static byte[] get(HttpClient client, URI uri) throws Exception {
    HttpResponse<byte[]> response =
        client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.sslSession().orElseThrow().getProtocol()).isEqualTo("TLSv1.3");
    return response.body();
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static ServerConfig resolve(Path dir, String tls, Map<String, String> env) {
    return ServerConfig.resolve(dir, null, null, null, null, "none", null, tls, null, env);
  }
}
