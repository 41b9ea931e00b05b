package dev.berth.server;

import dev.berth.api.ResourceId;
import dev.berth.api.acr.Registry;
import dev.berth.controlplane.providers.containerregistry.LoginServers;
import dev.berth.registry.RegistryDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.List;
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
 * <name>.<domain>[:port]} on Berth's main port instead and are told apart by Host. When replicas
 * run, each port also listens on their bridge's gateway address. Knows which port or name belongs
 * to which registry. Thread-safe.
 */
final class RegistryListeners implements LoginServers, BerthHandler.Registries, AutoCloseable {

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

  /** local port → the same port on the replicas' gateway address, when replicas run. */
  private final Map<Integer, ServerConnector> gatewayConnectors = new ConcurrentHashMap<>();

  /** local port → its registry's login server, when its name is one replicas can be given. */
  private final Map<Integer, String> namedLoginServers = new ConcurrentHashMap<>();

  /** Where replicas reach the registries, once {@link #serveReplicas} was called. */
  private volatile Optional<ForReplicas> replicas = Optional.empty();

  /**
   * The replicas' side: {@code connectorOn} opens a registry's port on the bridge's gateway (empty
   * when Berth's own listeners take every address, the gateway's too); {@code changed} is told when
   * the login servers replicas can reach change.
   */
  private record ForReplicas(
      String gateway, Optional<IntFunction<ServerConnector>> connectorOn, Runnable changed) {}

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
   * Makes every registry reachable from replicas too, at the bridge's gateway address and the same
   * port as on loopback, so that a login server means the same inside a replica and on the host
   * (docs/registry.md, "Replicas"). Call before {@link #openAll()}.
   *
   * @param gateway the replicas' gateway address
   * @param connectorOn a connector on the gateway's address, for a port; empty when Berth's
   *     listeners already take every address (0.0.0.0)
   * @param changed told after a registry's port opens or closes (the replicas' hosts files)
   */
  void serveReplicas(
      String gateway, Optional<IntFunction<ServerConnector>> connectorOn, Runnable changed) {
    replicas = Optional.of(new ForReplicas(gateway, connectorOn, changed));
  }

  /**
   * The login servers replicas reach, {@code <name>.azurecr.io.localhost:<port>}, with the address
   * their name stands for there (the gateway); none when no replicas run.
   */
  List<ReplicaLoginServer> replicaLoginServers() {
    Optional<ForReplicas> side = replicas;
    if (side.isEmpty()) {
      return List.of();
    }
    return namedLoginServers.entrySet().stream()
        .filter(
            e -> side.get().connectorOn().isEmpty() || gatewayConnectors.containsKey(e.getKey()))
        .map(e -> new ReplicaLoginServer(side.get().gateway(), e.getValue()))
        .sorted(Comparator.comparing(ReplicaLoginServer::loginServer))
        .toList();
  }

  /** A login server as replicas see it: its host name stands for {@code address}. */
  record ReplicaLoginServer(String address, String loginServer) {
    String host() {
      return loginServer.substring(0, loginServer.lastIndexOf(':'));
    }
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
                  remember(port, registry.loginServer());
                } catch (UncheckedIOException e) {
                  LOG.error(
                      "registry {} cannot listen on {}: {}",
                      registry.name(),
                      registry.loginServer(),
                      e.getMessage());
                }
              });
    }
    // Adopted replicas may hold names of registries deleted while Berth was down.
    replicasChanged();
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
        remember(port, name + ":" + port);
        replicasChanged();
        return name + ":" + port;
      } catch (UncheckedIOException e) {
        LOG.warn("registry {} gets localhost:{}: {}", registry.name(), port, e.getMessage());
      }
    }
    return "localhost:" + port;
  }

  /** Keeps a login server replicas can be given a name for (not {@code localhost:<port>}). */
  private void remember(int port, String loginServer) {
    nameOf(loginServer).ifPresent(name -> namedLoginServers.put(port, loginServer));
  }

  private void replicasChanged() {
    replicas.ifPresent(
        side -> {
          try {
            side.changed().run();
          } catch (RuntimeException e) {
            LOG.warn("cannot tell the replicas that the registries changed", e);
          }
        });
  }

  @Override
  public void release(ResourceId registry, String loginServer) {
    portOf(loginServer).filter(port -> port != mainPort).ifPresent(this::close);
    nameOf(loginServer).ifPresent(name -> hosts.ifPresent(h -> h.remove(name)));
    replicasChanged();
  }

  /** The host of a login server Berth named in the hosts file, if it is one. */
  private static Optional<String> nameOf(String loginServer) {
    int colon = loginServer.lastIndexOf(':');
    String host = colon < 0 ? loginServer : loginServer.substring(0, colon);
    return host.endsWith(AZURECR_LOCALHOST) ? Optional.of(host) : Optional.empty();
  }

  @Override
  public boolean addresses(int localPort, String host) {
    return byPort.containsKey(localPort)
        || (domain.isPresent()
            && host != null
            && host.toLowerCase(Locale.ROOT).endsWith("." + domain.get()));
  }

  /** The registry served at this local port or Host, if any. */
  @Override
  public Optional<Registry> registryFor(int localPort, String host) {
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

  /**
   * Opens a registry's port on loopback and, when replicas run, the same port on their gateway. A
   * port the kernel picked for loopback may be taken on the gateway's address: then both are given
   * up and another is picked.
   */
  private int open(int port, ResourceId registry) {
    for (int attempt = 1; ; attempt++) {
      ServerConnector connector = start(connectorOnPort.apply(port), port);
      int actual = connector.getLocalPort();
      Optional<IntFunction<ServerConnector>> onGateway = replicas.flatMap(ForReplicas::connectorOn);
      if (onGateway.isPresent()) {
        try {
          gatewayConnectors.put(actual, start(onGateway.get().apply(actual), actual));
        } catch (UncheckedIOException e) {
          if (port == 0 && attempt < 5) {
            stop(actual, connector);
            continue;
          }
          // A restart's fixed port: the registry still serves the host; replicas miss it.
          LOG.error(
              "registry {} cannot listen for replicas on {}:{}: {}",
              registry.name(),
              replicas.get().gateway(),
              actual,
              e.getMessage());
        }
      }
      connectors.put(actual, connector);
      byPort.put(actual, registry);
      LOG.info(
          "registry {} listens on localhost:{}{}",
          registry.name(),
          actual,
          gatewayConnectors.containsKey(actual)
              ? " and, for replicas, " + replicas.get().gateway() + ":" + actual
              : "");
      return actual;
    }
  }

  /** Binds {@code connector}, and starts it if the server already runs. */
  private ServerConnector start(ServerConnector connector, int port) {
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
      return connector;
    } catch (Exception e) {
      connector.close();
      jetty.removeConnector(connector);
      throw new UncheckedIOException(
          new IOException("cannot listen on port " + port + ": " + e.getMessage(), e));
    }
  }

  private void close(int port) {
    byPort.remove(port);
    namedLoginServers.remove(port);
    stop(port, connectors.remove(port));
    stop(port, gatewayConnectors.remove(port));
  }

  private void stop(int port, ServerConnector connector) {
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
