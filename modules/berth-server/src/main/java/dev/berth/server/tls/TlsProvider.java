package dev.berth.server.tls;

import java.security.Security;
import java.util.Locale;
import org.conscrypt.Conscrypt;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Which TLS implementation Berth's HTTPS listeners run on.
 *
 * <p>{@link #CONSCRYPT} is BoringSSL through Conscrypt, the TLS engine Jetty supports besides the
 * JDK's: image pulls spend most of their server time in TLS, and BoringSSL encrypts in native code
 * with fewer copies and shakes hands faster than the JDK's engine (bench/registry measured a 256 MB
 * pull about a tenth faster, see docs/benchmarks.md). {@link #JDK} is the JDK's own engine, which
 * runs everywhere. {@link #AUTO}, the default, is Conscrypt where its native library loads (its jar
 * carries one for Linux, macOS and Windows on x86-64) and the JDK's engine elsewhere.
 */
public enum TlsProvider {
  AUTO,
  JDK,
  CONSCRYPT;

  /** Parses {@code auto}, {@code jdk} or {@code conscrypt}, in any case. */
  public static TlsProvider parse(String value) {
    try {
      return valueOf(value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown TLS provider '" + value + "': use auto, jdk or conscrypt");
    }
  }

  /** What this choice comes to on this machine: never {@link #AUTO}. */
  public TlsProvider effective() {
    return switch (this) {
      case AUTO -> ConscryptHolder.AVAILABLE ? CONSCRYPT : JDK;
      case CONSCRYPT -> {
        if (!ConscryptHolder.AVAILABLE) {
          throw new IllegalStateException(
              "Conscrypt's native library does not load on this machine ("
                  + System.getProperty("os.name")
                  + "/"
                  + System.getProperty("os.arch")
                  + "): start with --tls-provider jdk");
        }
        yield CONSCRYPT;
      }
      case JDK -> JDK;
    };
  }

  /**
   * Jetty's TLS layer on this provider's engine, handing decrypted bytes to {@code nextProtocol}.
   * BoringSSL writes its records into native memory, so it gets direct buffers for them: a heap
   * buffer would cost one copy out of BoringSSL and another into the socket. The JDK's engine
   * encrypts in the heap and measured slower with direct buffers.
   */
  public SslConnectionFactory connectionFactory(SslContextFactory.Server ssl, String nextProtocol) {
    boolean boring = effective() == CONSCRYPT;
    if (boring) {
      ssl.setProvider(ConscryptHolder.NAME);
    }
    SslConnectionFactory tls = new SslConnectionFactory(ssl, nextProtocol);
    tls.setDirectBuffersForEncryption(boring);
    return tls;
  }

  /**
   * Loads Conscrypt once, on first use, and registers it last among the JVM's providers: Berth's
   * listeners ask for it by name, while every other TLS client in the JVM keeps the JDK's engine.
   */
  private static final class ConscryptHolder {
    static final String NAME = "Conscrypt";
    static final boolean AVAILABLE = load();

    private static boolean load() {
      try {
        if (!Conscrypt.isAvailable()) {
          return false;
        }
        if (Security.getProvider(NAME) == null) {
          Security.addProvider(Conscrypt.newProvider());
        }
        return true;
      } catch (LinkageError | RuntimeException e) {
        return false;
      }
    }
  }
}
