package dev.berth.server.limits;

import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;

/**
 * Jetty's {@link NetworkConnectionLimit} over every listener of a server, including those opened
 * after it started (registries get listeners as they are created): at the cap every listener stops
 * accepting (new connections wait in the kernel's backlog) and idle connections get a short idle
 * timeout, until connections close. Each connector counts through it once it is added as a bean
 * before the connector starts ({@link #watch}). Thread-safe.
 */
final class TotalConnectionLimit extends NetworkConnectionLimit {

  private final Server server;

  TotalConnectionLimit(int maxConnections, Server server) {
    // No connectors here: Jetty's list is fixed at start, this limit follows the server's instead.
    super(maxConnections, new Connector[0]);
    this.server = server;
  }

  /** Counts {@code connector}'s connections: call before it starts. */
  void watch(AbstractConnector connector) {
    connector.addBean(this, false);
  }

  @Override
  protected void limit() {
    for (Connector c : server.getConnectors()) {
      if (c instanceof AbstractConnector connector && connector.isRunning()) {
        connector.setAccepting(false);
        if (getEndPointIdleTimeout() > 0) {
          connector
              .getConnectedEndPoints()
              .forEach(e -> e.setIdleTimeout(getEndPointIdleTimeout()));
        }
      }
    }
  }

  @Override
  protected void unlimit() {
    for (Connector c : server.getConnectors()) {
      if (c instanceof AbstractConnector connector && connector.isRunning()) {
        connector.setAccepting(true);
        if (getEndPointIdleTimeout() > 0) {
          connector
              .getConnectedEndPoints()
              .forEach(e -> e.setIdleTimeout(connector.getIdleTimeout()));
        }
      }
    }
  }
}
