package dev.berth.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code transport}: {@code http2} reaches the replica over h2c, {@code auto} and {@code http} over
 * HTTP/1.1; the replica (Jetty, speaking both on one port) says which it got.
 */
class TransportTest {

  private IngressFixture ingress;
  private Server replica;
  private ServerConnector connector;

  @BeforeEach
  void start() throws Exception {
    ingress = IngressFixture.http();
    replica = new Server();
    HttpConfiguration http = new HttpConfiguration();
    connector =
        new ServerConnector(
            replica, new HttpConnectionFactory(http), new HTTP2CServerConnectionFactory(http));
    connector.setHost("127.0.0.1");
    replica.addConnector(connector);
    replica.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback) {
            String version = request.getConnectionMetaData().getHttpVersion().asString();
            response.write(
                true, ByteBuffer.wrap(version.getBytes(StandardCharsets.US_ASCII)), callback);
            return true;
          }
        });
    replica.start();
  }

  @AfterEach
  void stop() throws Exception {
    replica.stop();
    ingress.close();
  }

  private String versionSeen(boolean http2) throws Exception {
    ingress.routes.put(
        "api.env.localhost",
        AppRoute.serving("api", true, List.of(new Backend("127.0.0.1", connector.getLocalPort())))
            .withPolicy(
                new IngressPolicy(false, List.of(), false, false, Optional.empty(), http2)));
    return ingress.get("api.env.localhost", "/").getContentAsString();
  }

  @Test
  void http2ReachesTheReplicaOverH2c() throws Exception {
    assertThat(versionSeen(true)).isEqualTo("HTTP/2.0");
  }

  @Test
  void autoAndHttpReachTheReplicaOverHttp11() throws Exception {
    assertThat(versionSeen(false)).isEqualTo("HTTP/1.1");
  }
}
