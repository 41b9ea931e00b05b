package dev.berth.server;

import dev.berth.runtime.ReplicaExtras;
import dev.berth.server.RegistryListeners.ReplicaLoginServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What a replica gets so that the registries' login servers work inside it as they do on the host:
 * a hosts line per login server ({@code <gateway> <name>.azurecr.io.localhost}, where the registry
 * listens for replicas) and Berth's CA certificate where registry clients look for a registry's CA
 * without configuration, {@code /etc/containers/certs.d/<host:port>/ca.crt} (skopeo, podman,
 * buildah) and {@code /etc/docker/certs.d/<host:port>/ca.crt} (Docker). The certificate only, which
 * is public; never a key (docs/registry.md, "Replicas"). Thread-safe.
 */
final class ReplicaRegistryExtras implements Supplier<ReplicaExtras> {

  /** Where containers/image reads a registry's CA: containers-certs.d(5). */
  static final String CONTAINERS_CERTS_D = "/etc/containers/certs.d/";

  /** Where Docker reads a registry's CA ("Verify repository client with certificates"). */
  static final String DOCKER_CERTS_D = "/etc/docker/certs.d/";

  private final Supplier<List<ReplicaLoginServer>> loginServers;
  private final byte[] caCertificatePem;

  /**
   * @param loginServers the login servers replicas reach now
   * @param caCertificatePem Berth's CA certificate, PEM, nothing else
   */
  ReplicaRegistryExtras(Supplier<List<ReplicaLoginServer>> loginServers, String caCertificatePem) {
    if (caCertificatePem.contains("PRIVATE KEY")) {
      // Replicas get these bytes readable by any of their users.
      throw new IllegalArgumentException("a replica's CA file must hold no key");
    }
    this.loginServers = loginServers;
    this.caCertificatePem = caCertificatePem.getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public ReplicaExtras get() {
    List<ReplicaExtras.HostEntry> hosts = new ArrayList<>();
    List<ReplicaExtras.ReadOnlyFile> files = new ArrayList<>();
    for (ReplicaLoginServer server : loginServers.get()) {
      hosts.add(new ReplicaExtras.HostEntry(server.address(), server.host()));
      for (String certsD : List.of(CONTAINERS_CERTS_D, DOCKER_CERTS_D)) {
        files.add(
            new ReplicaExtras.ReadOnlyFile(
                certsD + server.loginServer() + "/ca.crt", caCertificatePem));
      }
    }
    return new ReplicaExtras(hosts, files);
  }
}
