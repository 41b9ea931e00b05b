package dev.berth.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
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
    connector = IngressFixture.http11AndH2c(replica);
    replica.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback)
              throws Exception {
            String seen =
                request.getConnectionMetaData().getHttpVersion().asString()
                    + " "
                    + request.getHttpURI().getHost()
                    + " "
                    + org.eclipse.jetty.io.Content.Source.asString(request).length();
            response.write(
                true, ByteBuffer.wrap(seen.getBytes(StandardCharsets.US_ASCII)), callback);
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

  private String seen(boolean http2, String body) throws Exception {
    ingress.routes.put(
        "api.env.localhost",
        AppRoute.serving("api", true, List.of(new Backend("127.0.0.1", connector.getLocalPort())))
            .withPolicy(
                new IngressPolicy(false, List.of(), false, false, Optional.empty(), http2)));
    return ingress
        .request("api.env.localhost", "/")
        .method("POST")
        .body(new org.eclipse.jetty.client.StringRequestContent(body))
        .send()
        .getContentAsString();
  }

  @Test
  void http2ReachesTheReplicaOverH2cWithTheClientsHostAndBody() throws Exception {
    assertThat(seen(true, "x".repeat(100_000))).isEqualTo("HTTP/2.0 api.env.localhost 100000");
    // Again, on the same HTTP/2 connection: a second stream.
    assertThat(seen(true, "")).isEqualTo("HTTP/2.0 api.env.localhost 0");
  }

  @Test
  void autoAndHttpReachTheReplicaOverHttp11() throws Exception {
    assertThat(seen(false, "abc")).isEqualTo("HTTP/1.1 api.env.localhost 3");
  }
}
