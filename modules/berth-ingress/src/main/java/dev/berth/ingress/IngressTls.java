package dev.berth.ingress;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import javax.net.ssl.SSLContext;

/**
 * What the HTTPS listeners present: the TLS context for each name a client asks for in its hello
 * (SNI). Berth's server hands out one per environment's domain on BoringSSL, or one JDK context
 * whose key manager picks the certificate itself. Every context offers {@link #ALPN}, so that
 * clients may speak HTTP/2. Implementations are thread-safe; the contexts they return stay theirs
 * to release.
 */
@FunctionalInterface
public interface IngressTls {

  /**
   * The protocols an HTTPS listener offers in ALPN, HTTP/2 first, as browsers and gRPC clients
   * prefer it; a client that offers neither (or no ALPN at all) speaks HTTP/1.1.
   */
  ApplicationProtocolConfig ALPN =
      new ApplicationProtocolConfig(
          ApplicationProtocolConfig.Protocol.ALPN,
          ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
          ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
          ApplicationProtocolNames.HTTP_2,
          ApplicationProtocolNames.HTTP_1_1);

  /**
   * The context for a connection whose hello named {@code host}.
   *
   * @param host the name asked for, as the client sent it; null when it named none
   */
  SslContext contextFor(String host);

  /**
   * One context on the JDK's engine for every name: {@code context}'s key manager chooses each
   * name's certificate during the handshake. TLS 1.3 and 1.2, and {@link #ALPN}.
   */
  static IngressTls jdk(SSLContext context) {
    SslContext netty =
        new JdkSslContext(
            context,
            false,
            null,
            IdentityCipherSuiteFilter.INSTANCE,
            ALPN,
            ClientAuth.NONE,
            new String[] {"TLSv1.3", "TLSv1.2"},
            false);
    return host -> netty;
  }
}
