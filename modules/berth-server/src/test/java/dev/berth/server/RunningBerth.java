package dev.berth.server;

import dev.berth.autoscaler.ScaleOverrides;
import dev.berth.runtime.runc.RuncRuntime;
import dev.berth.server.ingress.IngressPorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Berth server started in the test's own JVM on an ephemeral loopback port, with a fresh data
 * directory; stopped and deleted after the test class. Register with {@code @RegisterExtension}.
 */
public final class RunningBerth implements BeforeAllCallback, AfterAllCallback {

  private ServerConfig.ReplicaSettings replicas;
  private IngressPorts ingress = IngressPorts.NONE;
  private Path dataDir;
  private BerthServer server;

  /** A server that runs no replicas: what tests of the APIs need. */
  public RunningBerth() {
    this(ServerConfig.ReplicaSettings.NONE);
  }

  private RunningBerth(ServerConfig.ReplicaSettings replicas) {
    this.replicas = replicas;
  }

  /**
   * A server that runs replicas under runc, on a bridge and address range of the test's own (so
   * test classes never share addresses with each other or with a real Berth).
   */
  public static RunningBerth withReplicas(String network, String prefix) {
    return new RunningBerth(ServerConfig.ReplicaSettings.runc(network, prefix + "br0", prefix));
  }

  /** This server with the apps' ingress on ports the system picks. */
  public RunningBerth withIngress() {
    ingress = IngressPorts.anyFree();
    return this;
  }

  /** This server with every revision's scale settings shortened by {@code overrides}. */
  public RunningBerth withScale(ScaleOverrides overrides) {
    replicas = replicas.withScale(overrides);
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    dataDir = Files.createTempDirectory("berth-it-");
    server =
        BerthServer.start(
            ServerConfig.of(new DataDir(dataDir), "127.0.0.1", 0)
                .withReplicas(replicas)
                .withIngress(ingress));
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (server != null) {
      if (replicas.enabled()) {
        server.closeAndStopReplicas();
        removeNetworkAndCgroups();
      } else {
        server.close();
      }
    }
    if (dataDir != null) {
      try (Stream<Path> files = Files.walk(dataDir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  /** The bridge and the cgroup parents the runtime made for this test's prefix. */
  private void removeNetworkAndCgroups() throws Exception {
    removeNetworkAndCgroups(replicas.bridge(), replicas.prefix());
  }

  /**
   * Deletes a test runtime's bridge and its cgroup parents in every hierarchy: what is left once
   * its replicas are stopped (the runtime keeps both for the next start, by design).
   */
  static void removeNetworkAndCgroups(String bridge, String prefix) throws Exception {
    RuncRuntime.removeHostState(bridge, prefix);
  }

  public BerthServer server() {
    return server;
  }

  public BootstrapInfo bootstrap() {
    return server.bootstrap();
  }

  public Path dataDir() {
    return dataDir;
  }

  public Path caFile() {
    return new DataDir(dataDir).caCertificate();
  }

  /**
   * A portal session for {@code accessToken}, as the cookie's value ({@code __Host-berth-session}):
   * for tests that drive pages without the browser sign-in. The API checks the token on every call.
   */
  public String portalSession(String accessToken, String user, String objectId) {
    return server
        .portal()
        .sessionFor(accessToken, user, objectId, java.time.Instant.now().plusSeconds(3600));
  }

  /** The base URL without trailing slash, e.g. {@code https://127.0.0.1:41234}. */
  public String baseUrl() {
    return "https://127.0.0.1:" + server.port();
  }
}
