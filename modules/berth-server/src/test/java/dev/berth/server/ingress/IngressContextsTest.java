package dev.berth.server.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.ingress.ConnectionLimits;
import dev.berth.ingress.InMemoryRouteTable;
import dev.berth.ingress.IngressServer;
import dev.berth.ingress.IngressSettings;
import dev.berth.ingress.IngressWiring;
import dev.berth.server.tls.LocalCertificateAuthority;
import dev.berth.server.tls.TlsProvider;
import dev.berth.server.tls.Trust;
import io.netty.util.ReferenceCounted;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The apps' HTTPS listener on each TLS engine Berth runs: the certificate a client gets is the one
 * for the name it asks for — its environment's wildcard — or Berth's own for any other name or
 * none; BoringSSL's contexts are released when the listeners close.
 */
class IngressContextsTest {

  @TempDir Path dir;
  private IngressServer server;
  private IngressContexts contexts;
  private Path caPem;
  private int port;

  @BeforeEach
  void noServerYet() {
    server = null;
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
      contexts.close();
    }
  }

  private void start(TlsProvider provider) throws Exception {
    caPem = dir.resolve("ca.pem");
    var ca = LocalCertificateAuthority.loadOrCreate(caPem, dir.resolve("ca-key.pem"));
    var berth =
        ca.serverIdentity(
            dir.resolve("server.pem"), dir.resolve("server-key.pem"), Set.of("localhost"));
    var certificates =
        new IngressCertificates(ca, dir.resolve("ingress"), berth, () -> Set.of("env.localhost"));
    contexts = new IngressContexts(certificates, provider);
    server = new IngressServer(ConnectionLimits.lenient());
    port = server.listen("127.0.0.1", 0, Optional.of(contexts)).port();
    server.start(new InMemoryRouteTable(), IngressSettings.defaults(), IngressWiring.none());
  }

  @ParameterizedTest
  @EnumSource(
      value = TlsProvider.class,
      names = {"JDK", "BORINGSSL"})
  void aClientGetsItsEnvironmentsWildcardAndAnyOtherNameBerthsOwn(TlsProvider provider)
      throws Exception {
    start(provider);

    assertThat(namesPresentedTo("api.env.localhost")).containsExactly("*.env.localhost");
    assertThat(namesPresentedTo("api.other.localhost")).containsExactly("localhost");
    assertThat(namesPresentedTo(null)).containsExactly("localhost");
    assertThat(answerTo("api.env.localhost")).startsWith("HTTP/1.1 404");
  }

  @ParameterizedTest
  @EnumSource(
      value = TlsProvider.class,
      names = {"BORINGSSL"})
  void boringSslContextsAreBoringSslsAndReleasedOnClose(TlsProvider provider) throws Exception {
    start(provider);
    namesPresentedTo("api.env.localhost");
    var context = contexts.contextFor("api.env.localhost");
    assertThat(context.getClass().getName()).contains("OpenSsl");

    server.close();
    contexts.close();
    server = null;

    assertThat(((ReferenceCounted) context).refCnt()).isZero();
  }

  /** The DNS names of the certificate the listener presents to a client asking for {@code sni}. */
  private List<String> namesPresentedTo(String sni) throws Exception {
    try (SSLSocket socket = connect(sni)) {
      socket.startHandshake();
      X509Certificate leaf = (X509Certificate) socket.getSession().getPeerCertificates()[0];
      return leaf.getSubjectAlternativeNames().stream()
          .filter(n -> (Integer) n.get(0) == 2)
          .map(n -> (String) n.get(1))
          .toList();
    }
  }

  private String answerTo(String host) throws Exception {
    try (SSLSocket socket = connect(host)) {
      socket
          .getOutputStream()
          .write(
              ("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private SSLSocket connect(String sni) throws Exception {
    SSLSocket socket =
        (SSLSocket) Trust.onlyCa(caPem).getSocketFactory().createSocket("127.0.0.1", port);
    socket.setSoTimeout(10_000);
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
    socket.setSSLParameters(parameters);
    return socket;
  }
}
