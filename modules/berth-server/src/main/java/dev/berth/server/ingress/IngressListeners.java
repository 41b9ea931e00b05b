package dev.berth.server.ingress;

import dev.berth.ingress.IngressServer;
import dev.berth.ingress.IngressTls;
import dev.berth.server.tls.TlsProvider;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The apps' HTTPS and HTTP listeners on the {@link IngressServer}: the ports asked for, or their
 * fallbacks, and the same ports on the environment's bridge for replicas. HTTPS runs on Berth's TLS
 * provider (BoringSSL where it loads, as the other listeners), presenting the certificate {@link
 * IngressCertificates} chooses for the name each client asks for (SNI): an environment's wildcard.
 * Owns the ingress server: closing this closes it. Thread-safe.
 */
public final class IngressListeners implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(IngressListeners.class);

  private final IngressServer server;
  private final IngressContexts tls;
  private final List<IngressServer.Listener> listeners = new CopyOnWriteArrayList<>();
  private final String host;
  private int httpsPort;
  private int httpPort;

  private IngressListeners(IngressServer server, IngressContexts tls, String host) {
    this.server = server;
    this.tls = tls;
    this.host = host;
  }

  /**
   * Binds the listeners {@code ports} asks for on {@code host}; they accept once {@code server}
   * starts.
   *
   * @throws IOException when a port given explicitly cannot be bound
   */
  public static IngressListeners open(
      IngressServer server,
      String host,
      IngressPorts ports,
      IngressCertificates certificates,
      TlsProvider provider)
      throws IOException {
    IngressListeners opened =
        new IngressListeners(server, new IngressContexts(certificates, provider), host);
    try {
      opened.httpsPort = opened.bind("HTTPS", ports.https(), ports.httpsFallback(), true);
      opened.httpPort = opened.bind("HTTP", ports.http(), ports.httpFallback(), false);
    } catch (IOException | RuntimeException e) {
      opened.close();
      throw e;
    }
    return opened;
  }

  /** The ingress server the listeners belong to. */
  public IngressServer server() {
    return server;
  }

  /**
   * Binds the ingress' ports also on {@code environmentHost}, the environment's bridge gateway,
   * where replicas call apps (internal ones only there). A port that cannot be bound there (a
   * listener on every address already holds it, or it is off) is skipped: the main listener then
   * takes those connections, and the ingress still tells them apart by their local address.
   */
  public void openOnEnvironment(String environmentHost) {
    if (environmentHost.equals(host)) {
      return;
    }
    if (httpsPort > 0) {
      openOrSkip(environmentHost, httpsPort, true);
    }
    if (httpPort > 0) {
      openOrSkip(environmentHost, httpPort, false);
    }
  }

  private void openOrSkip(String on, int port, boolean secure) {
    try {
      listeners.add(
          server.listen(on, port, secure ? Optional.of(tls) : Optional.<IngressTls>empty()));
    } catch (IOException e) {
      LOG.info("apps' ingress: not listening on {}:{} for replicas ({})", on, port, e.getMessage());
    }
  }

  /** The HTTPS port apps answer on; 0 when there is none. */
  public int httpsPort() {
    return httpsPort;
  }

  /** The HTTP port; 0 when there is none. */
  public int httpPort() {
    return httpPort;
  }

  private int bind(String which, int wanted, int fallback, boolean secure) throws IOException {
    if (wanted == IngressPorts.OFF) {
      return 0;
    }
    Optional<IngressTls> context = secure ? Optional.of(tls) : Optional.empty();
    IngressServer.Listener listener;
    try {
      listener = server.listen(host, wanted == IngressPorts.ANY_FREE ? 0 : wanted, context);
    } catch (IOException e) {
      if (fallback == IngressPorts.OFF) {
        throw new IOException(
            "cannot listen for apps (" + which + ") on port " + wanted + ": " + e.getMessage(), e);
      }
      // 443 and 80 need root or CAP_NET_BIND_SERVICE, and another server may hold them.
      LOG.info(
          "apps' {} ingress: port {} is not available ({}); using {}",
          which,
          wanted,
          e.getMessage(),
          fallback);
      try {
        listener = server.listen(host, fallback, context);
      } catch (IOException again) {
        LOG.warn("apps' {} ingress is off: port {} is not available either", which, fallback);
        return 0;
      }
    }
    listeners.add(listener);
    return listener.port();
  }

  /** Closes every listener, then the ingress server and its connections. */
  @Override
  public void close() {
    listeners.forEach(IngressServer.Listener::close);
    server.close();
    tls.close();
  }
}
