package dev.berth.server.ingress;

import dev.berth.server.limits.ListenerLimits;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The apps' HTTPS and HTTP listeners, bound (not yet accepting) with the limits of every Berth
 * listener. HTTPS runs on the JDK's TLS engine, whose key manager ({@link IngressCertificates})
 * picks each environment's wildcard certificate by SNI; the BoringSSL adapter presents one
 * certificate per listener. Not thread-safe: built once at start.
 */
public final class IngressListeners {

  private static final Logger LOG = LoggerFactory.getLogger(IngressListeners.class);

  private final List<ServerConnector> connectors;
  private final int httpsPort;
  private final int httpPort;
  private final String host;

  private IngressListeners(
      List<ServerConnector> connectors, int httpsPort, int httpPort, String host) {
    this.connectors = List.copyOf(connectors);
    this.host = host;
    this.httpsPort = httpsPort;
    this.httpPort = httpPort;
  }

  /**
   * Binds the listeners {@code ports} asks for on {@code host}.
   *
   * @throws IOException when a port given explicitly cannot be bound
   */
  public static IngressListeners open(
      ListenerLimits limits, String host, IngressPorts ports, IngressCertificates certificates)
      throws IOException {
    List<ServerConnector> connectors = new ArrayList<>();
    int https =
        bind(
            "HTTPS",
            ports.https(),
            ports.httpsFallback(),
            port -> httpsConnector(limits, host, port, certificates),
            connectors);
    int http =
        bind(
            "HTTP",
            ports.http(),
            ports.httpFallback(),
            port -> connector(limits, host, port, http(limits, false)),
            connectors);
    return new IngressListeners(connectors, https, http, host);
  }

  /**
   * Binds the ingress' ports also on {@code host}, the environment's bridge gateway, where replicas
   * call apps (internal ones only there). A port that cannot be bound there (a listener on every
   * address already holds it, or it is off) is skipped: the main listener then takes those
   * connections, and the ingress still tells them apart by their local address.
   *
   * @return the listeners bound: add them to the server
   */
  public List<ServerConnector> openOnEnvironment(
      ListenerLimits limits, String host, IngressCertificates certificates) {
    List<ServerConnector> out = new ArrayList<>();
    if (host.equals(this.host)) {
      return out;
    }
    if (httpsPort > 0) {
      openOrSkip(httpsConnector(limits, host, httpsPort, certificates), out);
    }
    if (httpPort > 0) {
      openOrSkip(connector(limits, host, httpPort, http(limits, false)), out);
    }
    return out;
  }

  private static void openOrSkip(ServerConnector connector, List<ServerConnector> out) {
    try {
      connector.open();
      out.add(connector);
    } catch (IOException e) {
      LOG.info(
          "apps' ingress: not listening on {}:{} for replicas ({})",
          connector.getHost(),
          connector.getPort(),
          e.getMessage());
    }
  }

  /** The listeners, bound: add them to the server. */
  public List<ServerConnector> connectors() {
    return connectors;
  }

  /** The HTTPS port apps answer on; 0 when there is none. */
  public int httpsPort() {
    return httpsPort;
  }

  /** The HTTP port; 0 when there is none. */
  public int httpPort() {
    return httpPort;
  }

  /** Whether a request that came in on {@code localPort} is for an app. */
  public boolean isIngressPort(int localPort) {
    return localPort > 0 && (localPort == httpsPort || localPort == httpPort);
  }

  private static int bind(
      String which,
      int wanted,
      int fallback,
      IntFunction<ServerConnector> make,
      List<ServerConnector> out)
      throws IOException {
    if (wanted == IngressPorts.OFF) {
      return 0;
    }
    ServerConnector connector = make.apply(wanted == IngressPorts.ANY_FREE ? 0 : wanted);
    try {
      connector.open();
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
      connector = make.apply(fallback);
      try {
        connector.open();
      } catch (IOException again) {
        LOG.warn("apps' {} ingress is off: port {} is not available either", which, fallback);
        return 0;
      }
    }
    out.add(connector);
    return connector.getLocalPort();
  }

  private static ServerConnector httpsConnector(
      ListenerLimits limits, String host, int port, IngressCertificates certificates) {
    SslContextFactory.Server tls = new SslContextFactory.Server();
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(new KeyManager[] {certificates}, null, null);
      tls.setSslContext(context);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK's TLS engine cannot be set up", e);
    }
    tls.setIncludeProtocols("TLSv1.3", "TLSv1.2");
    return connector(
        limits,
        host,
        port,
        new SslConnectionFactory(tls, "http/1.1"),
        new HttpConnectionFactory(http(limits, true)));
  }

  private static HttpConfiguration http(ListenerLimits limits, boolean secure) {
    HttpConfiguration http = limits.configure(new HttpConfiguration());
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    http.setSendDateHeader(false);
    // An app's paths are its own: "%2F" in a segment (an encoded slash) must reach it, where
    // Jetty's default compliance answers 400 first.
    http.setUriCompliance(
        UriCompliance.DEFAULT.with(
            "ingress",
            UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR,
            UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING,
            UriCompliance.Violation.AMBIGUOUS_EMPTY_SEGMENT));
    if (secure) {
      SecureRequestCustomizer customizer = new SecureRequestCustomizer();
      // The key manager, not Jetty, matches names to certificates.
      customizer.setSniHostCheck(false);
      http.addCustomizer(customizer);
    }
    return http;
  }

  private static ServerConnector connector(
      ListenerLimits limits,
      String host,
      int port,
      org.eclipse.jetty.server.ConnectionFactory... factories) {
    ServerConnector connector = limits.publicListener(factories);
    connector.setHost(host);
    connector.setPort(port);
    return connector;
  }

  private static ServerConnector connector(
      ListenerLimits limits, String host, int port, HttpConfiguration http) {
    return connector(limits, host, port, new HttpConnectionFactory(http));
  }
}
