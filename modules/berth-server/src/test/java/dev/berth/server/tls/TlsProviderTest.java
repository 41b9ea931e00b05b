package dev.berth.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.server.DataDir;
import dev.berth.server.ServerConfig;
import java.nio.file.Path;
import java.util.Map;
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
  void conscryptIsAskedForByNameAndTheJdkLeavesTheDefault() {
    SslContextFactory.Server boring = new SslContextFactory.Server();
    TlsProvider.CONSCRYPT.configure(boring);
    assertThat(boring.getProvider()).isEqualTo("Conscrypt");

    SslContextFactory.Server jdk = new SslContextFactory.Server();
    TlsProvider.JDK.configure(jdk);
    assertThat(jdk.getProvider()).isNull();
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
