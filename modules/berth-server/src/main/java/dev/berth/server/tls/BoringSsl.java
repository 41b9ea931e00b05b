package dev.berth.server.tls;

import dev.berth.runtime.image.ClientTls;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.ReferenceCounted;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * BoringSSL under Jetty: netty-tcnative's statically linked BoringSSL behind Netty's {@link
 * SSLEngine}, which Jetty's TLS layer drives like the JDK's engine.
 *
 * <p>Each connection's engine holds native memory, so the connection releases it when it closes;
 * the shared BoringSSL context is built when the listener starts and released when it stops.
 */
final class BoringSsl {

  /**
   * Engines allocate through Netty only to copy heap buffers; Jetty hands them direct ones. The
   * unpooled allocator keeps no per-thread caches, which thousands of virtual threads would
   * multiply.
   */
  private static final ByteBufAllocator ALLOCATOR = UnpooledByteBufAllocator.DEFAULT;

  private BoringSsl() {}

  /** Whether netty-tcnative's native library loads on this machine. */
  static boolean available() {
    return Holder.AVAILABLE;
  }

  /** Why it does not load, for the message that says so. */
  static Throwable unavailabilityCause() {
    return OpenSsl.unavailabilityCause();
  }

  /**
   * Jetty's TLS layer on BoringSSL engines presenting {@code identity}, with TLS 1.3 and 1.2 and
   * {@link TlsProvider#CIPHER_SUITES}, as on the JDK's engine.
   */
  static SslConnectionFactory connectionFactory(ServerIdentity identity, String nextProtocol) {
    SslConnectionFactory tls =
        new SslConnectionFactory(new ContextFactory(identity), nextProtocol) {
          @Override
          protected SslConnection newSslConnection(
              Connector connector, EndPoint endPoint, SSLEngine engine) {
            return new ReleasingSslConnection(connector, endPoint, engine, this);
          }
        };
    // BoringSSL reads and writes records in native memory: with heap buffers each record would be
    // copied once more on each side.
    tls.setDirectBuffersForEncryption(true);
    tls.setDirectBuffersForDecryption(true);
    return tls;
  }

  /**
   * Client engines on BoringSSL for the image puller, trusting what {@code trust} trusts and
   * checking the server's name as the JDK's engine does (endpoint identification {@code HTTPS}),
   * with TLS 1.3 and 1.2 and {@link TlsProvider#CIPHER_SUITES} in that order (AES-128-GCM first:
   * BoringSSL servers take TLS 1.3's suite in the client's order).
   */
  static ClientTls client(TrustManagerFactory trust) throws SSLException {
    SslContext context =
        SslContextBuilder.forClient()
            .trustManager(trust)
            .sslProvider(SslProvider.OPENSSL_REFCNT)
            .protocols("TLSv1.3", "TLSv1.2")
            .ciphers(TlsProvider.CIPHER_SUITES)
            .build();
    return new ClientTls() {
      @Override
      public SSLEngine newEngine(String host, int port) {
        SSLEngine engine = context.newEngine(ALLOCATOR, host, port);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(parameters);
        return engine;
      }

      @Override
      public void release(SSLEngine engine) {
        if (engine instanceof ReferenceCounted counted && counted.refCnt() > 0) {
          counted.release();
        }
      }

      private final AtomicBoolean closed = new AtomicBoolean();

      @Override
      public void close() {
        if (closed.compareAndSet(false, true)) {
          ReferenceCountUtil.release(context);
        }
      }
    };
  }

  /**
   * A server context presenting {@code identity} on BoringSSL, TLS 1.3 and 1.2; reference-counted:
   * release it when done (each engine holds it until released too).
   */
  static SslContext serverContext(ServerIdentity identity) throws SSLException {
    return serverContext(identity, ApplicationProtocolConfig.DISABLED);
  }

  /**
   * The same, offering the protocols {@code alpn} names (Jetty's listeners negotiate their own).
   */
  static SslContext serverContext(ServerIdentity identity, ApplicationProtocolConfig alpn)
      throws SSLException {
    return SslContextBuilder.forServer(
            identity.key(), identity.chain().toArray(X509Certificate[]::new))
        .sslProvider(SslProvider.OPENSSL_REFCNT)
        .protocols("TLSv1.3", "TLSv1.2")
        // Netty turns TLS 1.3 off unless the list names its suites, though BoringSSL offers all
        // three of them whatever the list says.
        .ciphers(TlsProvider.CIPHER_SUITES)
        .applicationProtocolConfig(alpn)
        .build();
  }

  /** Hands out BoringSSL engines in place of the JDK's. */
  private static final class ContextFactory extends SslContextFactory.Server {
    private final ServerIdentity identity;
    private volatile SslContext context;

    ContextFactory(ServerIdentity identity) {
      this.identity = identity;
      // Jetty still builds a JDK context at start, for the one engine below; it needs the key.
      TlsProvider.presentIdentity(this, identity);
    }

    @Override
    protected void doStart() throws Exception {
      super.doStart();
      context = serverContext(identity);
    }

    @Override
    protected void doStop() throws Exception {
      ReferenceCountUtil.release(context);
      context = null;
      super.doStop();
    }

    /**
     * Every connection's engine: Jetty asks for one by its peer. ({@code newSSLEngine()}, without a
     * peer, stays the JDK's: Jetty asks for it only at start, to size its buffers by, and drops it,
     * where a BoringSSL engine's native memory would never be released.)
     */
    @Override
    public SSLEngine newSSLEngine(String host, int port) {
      return context.newEngine(ALLOCATOR, host, port);
    }
  }

  /** A TLS connection that frees its engine's native memory once it is closed. */
  private static final class ReleasingSslConnection extends SslConnection {
    ReleasingSslConnection(
        Connector connector, EndPoint endPoint, SSLEngine engine, SslConnectionFactory factory) {
      super(
          connector.getByteBufferPool(),
          connector.getExecutor(),
          factory.getSslContextFactory(),
          endPoint,
          engine,
          factory.isDirectBuffersForEncryption(),
          factory.isDirectBuffersForDecryption());
    }

    @Override
    public void onClose(Throwable cause) {
      try {
        super.onClose(cause);
      } finally {
        // Once only, even should Jetty close a connection twice.
        if (getSSLEngine() instanceof ReferenceCounted counted && counted.refCnt() > 0) {
          counted.release();
        }
      }
    }
  }

  private static final class Holder {
    private static final String NETTY_ALLOCATOR = "io.netty.allocator.type";
    static final boolean AVAILABLE = load();

    private static boolean load() {
      // Netty's start-up probe of BoringSSL allocates through Netty's default allocator, whose
      // pool would then keep a 4 MiB chunk of native memory for good. Berth's engines allocate
      // nothing through it (Jetty hands them its own buffers), so the pool is never wanted.
      if (System.getProperty(NETTY_ALLOCATOR) == null) {
        System.setProperty(NETTY_ALLOCATOR, "unpooled");
      }
      try {
        return OpenSsl.isAvailable();
      } catch (LinkageError | RuntimeException e) {
        return false;
      }
    }
  }
}
