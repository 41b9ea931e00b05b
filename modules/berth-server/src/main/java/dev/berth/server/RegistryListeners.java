package dev.berth.server;

import dev.berth.api.ResourceId;
import dev.berth.api.acr.Registry;
import dev.berth.controlplane.providers.containerregistry.LoginServers;
import dev.berth.registry.RegistryDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Login servers that need no DNS: each registry gets its own loopback port and the login server
 * {@code <name>.azurecr.io.localhost:<port>}, a name Berth keeps in the hosts file ({@link
 * HostsFile}), or {@code localhost:<port>} when it may not write that file; served by a connector
 * of its own on Berth's Jetty server. With a DNS domain configured, registries are {@code
 * <name>.<domain>[:port]} on Berth's main port instead and are told apart by Host. Knows which port
 * or name belongs to which registry. Thread-safe.
 */
final class RegistryListeners implements LoginServers, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RegistryListeners.class);

  /** What registries' login server names end with: ACR's suffix under RFC 6761's localhost. */
  static final String AZURECR_LOCALHOST = ".azurecr.io.localhost";

  private final Server jetty;
  private final IntFunction<ServerConnector> connectorOnPort;
  private final Optional<String> domain;
  private final int mainPort;
  private final RegistryDirectory directory;
  private final Optional<HostsFile> hosts;

  /** local port → registry, for registries on ports of their own. */
  private final Map<Integer, ResourceId> byPort = new ConcurrentHashMap<>();

  private final Map<Integer, ServerConnector> connectors = new ConcurrentHashMap<>();

  RegistryListeners(
      Server jetty,
      IntFunction<ServerConnector> connectorOnPort,
      Optional<String> domain,
      int mainPort,
      RegistryDirectory directory,
      Optional<HostsFile> hosts) {
    this.jetty = jetty;
    this.hosts = hosts;
    this.connectorOnPort = connectorOnPort;
    this.domain = domain.map(d -> d.toLowerCase(Locale.ROOT));
    this.mainPort = mainPort;
    this.directory = directory;
  }

  /**
   * Opens a listener for every registry in the store: what a restart needs. Called before the
   * server starts, it binds their ports and the server starts them, before Berth's own port.
   */
  void openAll() {
    hosts.ifPresent(HostsFile::removeStale);
    for (Registry registry : directory.all()) {
      nameOf(registry.loginServer()).ifPresent(name -> hosts.ifPresent(h -> h.add(name)));
      portOf(registry.loginServer())
          .filter(port -> port != mainPort)
          .ifPresent(
              port -> {
                try {
                  open(port, registry.id());
                } catch (UncheckedIOException e) {
                  LOG.error(
                      "registry {} cannot listen on {}: {}",
                      registry.name(),
                      registry.loginServer(),
                      e.getMessage());
                }
              });
    }
  }

  @Override
  public String assign(ResourceId registry) {
    if (domain.isPresent()) {
      String host = registry.name().toLowerCase(Locale.ROOT) + "." + domain.get();
      return mainPort == 443 ? host : host + ":" + mainPort;
    }
    // Port 0: the kernel picks a free port, and the connector holds it from now on.
    int port = open(0, registry);
    if (hosts.isPresent()) {
      // A name the containerapp extension takes for ACR's and that resolves through the hosts
      // file Berth keeps (docs/registry.md, "Login servers that need no DNS").
      String name = registry.name().toLowerCase(Locale.ROOT) + AZURECR_LOCALHOST;
      try {
        hosts.get().add(name);
        return name + ":" + port;
      } catch (UncheckedIOException e) {
        LOG.warn("registry {} gets localhost:{}: {}", registry.name(), port, e.getMessage());
      }
    }
    return "localhost:" + port;
  }

  @Override
  public void release(ResourceId registry, String loginServer) {
    portOf(loginServer).filter(port -> port != mainPort).ifPresent(this::close);
    nameOf(loginServer).ifPresent(name -> hosts.ifPresent(h -> h.remove(name)));
  }

  /** The host of a login server Berth named in the hosts file, if it is one. */
  private static Optional<String> nameOf(String loginServer) {
    int colon = loginServer.lastIndexOf(':');
    String host = colon < 0 ? loginServer : loginServer.substring(0, colon);
    return host.endsWith(AZURECR_LOCALHOST) ? Optional.of(host) : Optional.empty();
  }

  /** The registry served at this local port or Host, if any. */
  Optional<Registry> registryFor(int localPort, String host) {
    ResourceId id = byPort.get(localPort);
    if (id != null) {
      return directory.byId(id);
    }
    if (domain.isPresent() && host != null) {
      String name = host.toLowerCase(Locale.ROOT);
      if (name.endsWith("." + domain.get())) {
        String loginServer = mainPort == 443 ? name : name + ":" + mainPort;
        return directory.byLoginServer(loginServer);
      }
    }
    return Optional.empty();
  }

  /** The ports registries listen on now. */
  Set<Integer> ports() {
    return byPort.keySet().stream().collect(Collectors.toUnmodifiableSet());
  }

  private int open(int port, ResourceId registry) {
    ServerConnector connector = connectorOnPort.apply(port);
    try {
      if (jetty.isRunning()) {
        jetty.addConnector(connector);
        connector.start();
      } else {
        // Bound now (a port taken by someone else fails here, not the whole start); accepting
        // once the server starts its connectors.
        connector.open();
        jetty.addConnector(connector);
      }
    } catch (Exception e) {
      connector.close();
      jetty.removeConnector(connector);
      throw new UncheckedIOException(
          new IOException("cannot listen on port " + port + ": " + e.getMessage(), e));
    }
    int actual = connector.getLocalPort();
    connectors.put(actual, connector);
    byPort.put(actual, registry);
    LOG.info("registry {} listens on localhost:{}", registry.name(), actual);
    return actual;
  }

  private void close(int port) {
    byPort.remove(port);
    ServerConnector connector = connectors.remove(port);
    if (connector != null) {
      try {
        connector.stop();
      } catch (Exception e) {
        LOG.warn("stopping the listener on port {} failed", port, e);
      }
      jetty.removeConnector(connector);
    }
  }

  private static Optional<Integer> portOf(String loginServer) {
    int colon = loginServer.lastIndexOf(':');
    if (colon < 0) {
      return Optional.empty();
    }
    try {
      return Optional.of(Integer.parseInt(loginServer.substring(colon + 1)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    connectors.keySet().forEach(this::close);
    try {
      hosts.ifPresent(HostsFile::removeStale);
    } catch (UncheckedIOException e) {
      LOG.warn("cannot remove Berth's lines from the hosts file: {}", e.getMessage());
    }
  }
}
