package dev.berth.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.server.DataDir;
import dev.berth.server.ServerConfig;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.Test;

class TlsProviderTest {

  @Test
  void parsesTheThreeNamesInAnyCase() {
    assertThat(TlsProvider.parse("auto")).isEqualTo(TlsProvider.AUTO);
    assertThat(TlsProvider.parse(" JDK ")).isEqualTo(TlsProvider.JDK);
    assertThat(TlsProvider.parse("Conscrypt")).isEqualTo(TlsProvider.CONSCRYPT);
  }

  @Test
  void anUnknownNameSaysWhatIsAccepted() {
    assertThatThrownBy(() -> TlsProvider.parse("openssl"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown TLS provider 'openssl': use auto, jdk or conscrypt");
  }

  @Test
  void autoIsConscryptOnLinuxX8664AndTheJdkStaysTheJdk() {
    assertThat(TlsProvider.AUTO.effective()).isEqualTo(TlsProvider.CONSCRYPT);
    assertThat(TlsProvider.JDK.effective()).isEqualTo(TlsProvider.JDK);
  }

  @Test
  void conscryptIsAskedForByNameAndEncryptsIntoDirectBuffers() {
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    SslConnectionFactory tls = TlsProvider.CONSCRYPT.connectionFactory(ssl, "http/1.1");
    assertThat(ssl.getProvider()).isEqualTo("Conscrypt");
    assertThat(tls.isDirectBuffersForEncryption()).isTrue();
    assertThat(tls.getNextProtocol()).isEqualTo("http/1.1");
  }

  @Test
  void theJdkEngineKeepsTheDefaultProviderAndHeapBuffers() {
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    SslConnectionFactory tls = TlsProvider.JDK.connectionFactory(ssl, "http/1.1");
    assertThat(ssl.getProvider()).isNull();
    assertThat(tls.isDirectBuffersForEncryption()).isFalse();
  }

  @Test
  void theOptionWinsOverTheEnvironmentWhichWinsOverAuto() {
    Path dir = Path.of("/tmp/unused");
    assertThat(resolve(dir, null, Map.of()).tls()).isEqualTo(TlsProvider.AUTO);
    assertThat(resolve(dir, null, Map.of("BERTH_TLS_PROVIDER", "jdk")).tls())
        .isEqualTo(TlsProvider.JDK);
    assertThat(resolve(dir, "conscrypt", Map.of("BERTH_TLS_PROVIDER", "jdk")).tls())
        .isEqualTo(TlsProvider.CONSCRYPT);
    assertThatThrownBy(() -> resolve(dir, null, Map.of("BERTH_TLS_PROVIDER", "rustls")))
        .hasMessageContaining("use auto, jdk or conscrypt");
    assertThat(ServerConfig.of(new DataDir(dir), "127.0.0.1", 0).tls()).isEqualTo(TlsProvider.AUTO);
  }

  private static ServerConfig resolve(Path dir, String tls, Map<String, String> env) {
    return ServerConfig.resolve(dir, null, null, null, null, "none", null, tls, env);
  }
}
