package dev.berth.server.ingress;

import dev.berth.ingress.IngressTls;
import dev.berth.server.tls.ServerIdentity;
import dev.berth.server.tls.TlsProvider;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;

/**
 * The apps' HTTPS contexts on Berth's TLS provider (BoringSSL where it loads): one per certificate
 * {@link IngressCertificates} chooses for the name a client asks for — an environment's wildcard,
 * or Berth's server certificate — made on first use and kept, offering HTTP/2 and HTTP/1.1 in ALPN.
 * Closing releases them (connections still open keep theirs until they close). Thread-safe.
 */
final class IngressContexts implements IngressTls, AutoCloseable {

  private final IngressCertificates certificates;
  private final TlsProvider provider;
  private final Map<ServerIdentity, SslContext> contexts = new ConcurrentHashMap<>();

  IngressContexts(IngressCertificates certificates, TlsProvider provider) {
    this.certificates = certificates;
    this.provider = provider;
  }

  @Override
  public SslContext contextFor(String host) {
    return contexts.computeIfAbsent(certificates.identityFor(host), this::context);
  }

  private SslContext context(ServerIdentity identity) {
    try {
      return provider.nettyServerContext(identity, IngressTls.ALPN);
    } catch (SSLException e) {
      throw new UncheckedIOException(
          "cannot present " + identity.leaf().getSubjectX500Principal(), e);
    }
  }

  @Override
  public void close() {
    contexts.values().forEach(ReferenceCountUtil::release);
    contexts.clear();
  }
}
