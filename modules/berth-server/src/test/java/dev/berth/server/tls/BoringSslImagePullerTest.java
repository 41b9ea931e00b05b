package dev.berth.server.tls;

import static dev.berth.runtime.image.TestLayers.layer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.runtime.image.ClientTls;
import dev.berth.runtime.image.ImagePuller;
import dev.berth.runtime.image.ImagePullerConformance;
import dev.berth.runtime.image.ImagePullers;
import dev.berth.runtime.image.PullException;
import dev.berth.runtime.image.PullException.Reason;
import dev.berth.runtime.image.PullException.Step;
import dev.berth.runtime.image.RegistryCredential;
import io.netty.util.ReferenceCounted;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image puller on BoringSSL's client engines, as Berth runs it ({@link TlsProvider#clientTls}):
 * the whole {@link ImagePullerConformance} suite again — tokens, redirects, digests, an untrusted
 * registry refused — and what only a native engine can get wrong: the server's name checked, and
 * each engine's native memory released.
 */
class BoringSslImagePullerTest extends ImagePullerConformance {

  /** Every engine handed out, to check that each is released. */
  private final List<SSLEngine> engines = new CopyOnWriteArrayList<>();

  @Override
  protected ImagePuller newPuller(Path cacheDir, TrustManagerFactory trust) {
    try {
      return ImagePullers.create(
          cacheDir, Trust.context(trust), Set.of(), Optional.of(counting(trust)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void theEnginesAreBoringSsls() throws Exception {
    push("api", "v1", layer().file("a", "1").gzip());

    pull("api:v1", new RegistryCredential.Anonymous());

    assertThat(engines).isNotEmpty();
    assertThat(engines).allMatch(e -> e.getClass().getName().contains("OpenSsl"));
  }

  @Test
  void eachEngineIsReleasedOnceThePullerIsClosed() throws Exception {
    push("api", "v1", layer().file("a", "1").gzip());
    pull("api:v1", new RegistryCredential.Anonymous());
    assertThat(engines).anyMatch(e -> ((ReferenceCounted) e).refCnt() == 1); // still connected

    puller.close();

    assertThat(engines).allMatch(e -> ((ReferenceCounted) e).refCnt() == 0);
  }

  /**
   * A registry whose certificate Berth's CA signed for another name: the chain is trusted, the name
   * is not the registry's, and the pull goes no further than the handshake.
   */
  @Test
  void aRegistryWhoseCertificateNamesAnotherHostIsRefused(@TempDir Path ca) throws Exception {
    var authority =
        LocalCertificateAuthority.loadOrCreate(ca.resolve("ca.pem"), ca.resolve("ca-key.pem"));
    var identity =
        authority.serverIdentity(
            ca.resolve("server.pem"), ca.resolve("server-key.pem"), Set.of("registry.example"));
    Server jetty = new Server();
    ServerConnector connector =
        new ServerConnector(
            jetty,
            TlsProvider.BORINGSSL.connectionFactory(identity, "http/1.1"),
            new HttpConnectionFactory());
    connector.setHost("127.0.0.1");
    jetty.addConnector(connector);
    jetty.start();
    try (ImagePuller trusting =
        newPuller(cache.resolve("named"), Trust.caAndSystemManagers(ca.resolve("ca.pem")))) {
      PullException e = refusedPull(trusting, "127.0.0.1:" + connector.getLocalPort() + "/api:v1");

      assertThat(e.reason()).isEqualTo(Reason.UNREACHABLE);
      assertThat(e.step()).isEqualTo(Step.PING);
      assertThat(e).hasStackTraceContaining("127.0.0.1");
    } finally {
      jetty.stop();
    }
  }

  /** BoringSSL's engines, each remembered as it is handed out. */
  private ClientTls counting(TrustManagerFactory trust) throws SSLException {
    ClientTls boring = TlsProvider.BORINGSSL.clientTls(trust).orElseThrow();
    return new ClientTls() {
      @Override
      public SSLEngine newEngine(String host, int port) {
        SSLEngine engine = boring.newEngine(host, port);
        engines.add(engine);
        return engine;
      }

      @Override
      public void release(SSLEngine engine) {
        boring.release(engine);
      }

      @Override
      public void close() {
        boring.close();
      }
    };
  }
}
