package dev.berth.server.tls;

import dev.berth.runtime.image.ClientTls;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Which TLS implementation Berth's HTTPS listeners run on.
 *
 * <p>{@link #BORINGSSL} is netty-tcnative's BoringSSL behind Netty's {@code SSLEngine}: serving an
 * image pull is mostly encryption, and this BoringSSL encrypts AES-GCM at full speed from the first
 * byte (the JDK's engine needs its JIT warmed up first) and about twice as fast as the 2021
 * BoringSSL that Conscrypt bundled, which Berth ran before (bench/tls, docs/benchmarks.md). {@link
 * #JDK} is the JDK's own engine, which runs everywhere. {@link #AUTO}, the default, is BoringSSL
 * where netty-tcnative's native library loads (Berth ships it for Linux on x86-64 and arm64) and
 * the JDK's engine elsewhere.
 */
public enum TlsProvider {
  AUTO,
  JDK,
  BORINGSSL;

  /**
   * The suites offered, best first, on both engines. AES-128-GCM leads, as Go's and OpenSSL's
   * servers order them with hardware AES: the JDK's default order puts AES-256 first, which cost
   * image pulls about a third of their speed on the JDK's engine. (BoringSSL takes TLS 1.3's suites
   * in the client's order instead: Go's clients, skopeo and podman among them, put AES-128 first,
   * OpenSSL's AES-256.) TLS 1.2's are for older clients, with ECDSA, Berth's key type.
   */
  static final List<String> CIPHER_SUITES =
      List.of(
          "TLS_AES_128_GCM_SHA256",
          "TLS_AES_256_GCM_SHA384",
          "TLS_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");

  /** Parses {@code auto}, {@code jdk} or {@code boringssl}, in any case. */
  public static TlsProvider parse(String value) {
    try {
      return valueOf(value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown TLS provider '" + value + "': use auto, jdk or boringssl");
    }
  }

  /** What this choice comes to on this machine: never {@link #AUTO}. */
  public TlsProvider effective() {
    return switch (this) {
      case AUTO -> BoringSsl.available() ? BORINGSSL : JDK;
      case BORINGSSL -> {
        if (!BoringSsl.available()) {
          throw new IllegalStateException(
              "BoringSSL (netty-tcnative) does not load on this machine ("
                  + System.getProperty("os.name")
                  + "/"
                  + System.getProperty("os.arch")
                  + ": "
                  + BoringSsl.unavailabilityCause()
                  + "): start with --tls-provider jdk");
        }
        yield BORINGSSL;
      }
      case JDK -> JDK;
    };
  }

  /**
   * Jetty's TLS layer presenting {@code identity} on this provider's engine, handing decrypted
   * bytes to {@code nextProtocol}: TLS 1.3 and 1.2 on both engines.
   */
  public SslConnectionFactory connectionFactory(ServerIdentity identity, String nextProtocol) {
    return switch (effective()) {
      case BORINGSSL -> BoringSsl.connectionFactory(identity, nextProtocol);
      case JDK -> {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        presentIdentity(ssl, identity);
        ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        ssl.setIncludeCipherSuites(CIPHER_SUITES.toArray(String[]::new));
        ssl.setUseCipherSuitesOrder(true);
        // The JDK's engine encrypts in the heap, and measured slower with direct buffers.
        yield new SslConnectionFactory(ssl, nextProtocol);
      }
      case AUTO -> throw new AssertionError("effective() is never AUTO");
    };
  }

  /**
   * A Netty server context presenting {@code identity} on this provider's engine, TLS 1.3 and 1.2
   * with {@link #CIPHER_SUITES} (all of them fit for HTTP/2) and the protocols {@code alpn} offers:
   * the apps' ingress takes its connections' engines from it. Release it when done (BoringSSL's
   * holds native memory).
   */
  public SslContext nettyServerContext(ServerIdentity identity, ApplicationProtocolConfig alpn)
      throws SSLException {
    return switch (effective()) {
      case BORINGSSL -> BoringSsl.serverContext(identity, alpn);
      case JDK ->
          SslContextBuilder.forServer(
                  identity.key(), identity.chain().toArray(X509Certificate[]::new))
              .sslProvider(SslProvider.JDK)
              .protocols("TLSv1.3", "TLSv1.2")
              .ciphers(CIPHER_SUITES)
              .applicationProtocolConfig(alpn)
              .build();
      case AUTO -> throw new AssertionError("effective() is never AUTO");
    };
  }

  /**
   * The image puller's client engines on this provider, trusting what {@code trust} trusts: empty
   * on the JDK's engine, which the puller makes itself.
   */
  public Optional<ClientTls> clientTls(TrustManagerFactory trust) throws SSLException {
    return switch (effective()) {
      case BORINGSSL -> Optional.of(BoringSsl.client(trust));
      case JDK -> Optional.empty();
      case AUTO -> throw new AssertionError("effective() is never AUTO");
    };
  }

  /** Gives Jetty's context factory {@code identity}'s key and chain. */
  static void presentIdentity(SslContextFactory.Server ssl, ServerIdentity identity) {
    char[] password = "berth".toCharArray();
    ssl.setKeyStore(identity.keyStore(password));
    ssl.setKeyStorePassword(new String(password));
  }
}
