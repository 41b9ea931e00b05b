package dev.berth.server;

import dev.berth.api.files.PrivateFiles;
import dev.berth.runtime.ReplicaExtras;
import dev.berth.server.RegistryListeners.ReplicaLoginServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * What a replica gets so that the registries' login servers work inside it as they do on the host:
 * a hosts line per login server ({@code <gateway> <name>.azurecr.io.localhost}, where the registry
 * listens for replicas) and Berth's CA certificate where registry clients look for a registry's CA
 * without configuration, {@code /etc/containers/certs.d/<host:port>/ca.crt} (skopeo, podman,
 * buildah) and {@code /etc/docker/certs.d/<host:port>/ca.crt} (Docker). Both folders are host
 * directories bound into every replica read-only and kept here, one sub-folder per login server, so
 * a registry made while a replica runs is trusted in it at once. The certificate only, which is
 * public; never a key (docs/registry.md, "Replicas"). Thread-safe.
 */
final class ReplicaRegistryExtras implements Supplier<ReplicaExtras> {

  /** Where containers/image reads a registry's CA: containers-certs.d(5). */
  static final String CONTAINERS_CERTS_D = "/etc/containers/certs.d";

  /** Where Docker reads a registry's CA ("Verify repository client with certificates"). */
  static final String DOCKER_CERTS_D = "/etc/docker/certs.d";

  private static final String PUBLIC_DIR = "rwxr-xr-x";
  private static final String PUBLIC_FILE = "rw-r--r--";

  private final Supplier<List<ReplicaLoginServer>> loginServers;
  private final byte[] caCertificatePem;
  private final Path containers;
  private final Path docker;
  private Set<String> written; // the login servers the folders hold; null before the first sync

  /**
   * @param loginServers the login servers replicas reach now
   * @param caCertificatePem Berth's CA certificate, PEM, nothing else
   * @param certs the host folder that holds the two bound into replicas (made, kept, emptied here);
   *     itself private, as every folder of the data directory, the two in it public
   */
  ReplicaRegistryExtras(
      Supplier<List<ReplicaLoginServer>> loginServers, String caCertificatePem, Path certs) {
    if (caCertificatePem.contains("PRIVATE KEY")) {
      // Replicas get these bytes readable by any of their users.
      throw new IllegalArgumentException("a replica's CA file must hold no key");
    }
    this.loginServers = loginServers;
    this.caCertificatePem = caCertificatePem.getBytes(StandardCharsets.US_ASCII);
    this.containers = certs.toAbsolutePath().resolve("containers");
    this.docker = certs.toAbsolutePath().resolve("docker");
  }

  @Override
  public ReplicaExtras get() {
    List<ReplicaExtras.HostEntry> hosts = new ArrayList<>();
    Set<String> servers = new TreeSet<>();
    for (ReplicaLoginServer server : loginServers.get()) {
      hosts.add(new ReplicaExtras.HostEntry(server.address(), server.host()));
      servers.add(server.loginServer());
    }
    sync(servers);
    return new ReplicaExtras(
        hosts,
        List.of(),
        List.of(
            new ReplicaExtras.ReadOnlyDirectory(CONTAINERS_CERTS_D, containers),
            new ReplicaExtras.ReadOnlyDirectory(DOCKER_CERTS_D, docker)));
  }

  /** Makes both folders hold {@code servers}' CA files and nothing else; once per change. */
  private synchronized void sync(Set<String> servers) {
    if (servers.equals(written)) {
      return;
    }
    try {
      // Private, as the data directory's folders are: it keeps other users out of the two below.
      PrivateFiles.createDirectories(containers.getParent());
      for (Path folder : List.of(containers, docker)) {
        publicDirectory(folder);
        try (DirectoryStream<Path> each = Files.newDirectoryStream(folder)) {
          for (Path old : each) {
            if (!servers.contains(old.getFileName().toString())) {
              deleteTree(old); // a registry that is gone
            }
          }
        }
        for (String server : servers) {
          Path dir = folder.resolve(server).normalize();
          if (!dir.getParent().equals(folder)) {
            continue; // not one plain folder name: no login server Berth makes
          }
          publicDirectory(dir);
          Path ca = dir.resolve("ca.crt");
          Files.write(ca, caCertificatePem);
          Files.setPosixFilePermissions(ca, PosixFilePermissions.fromString(PUBLIC_FILE));
        }
      }
      written = Set.copyOf(servers);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the replicas' registry certificates", e);
    }
  }

  private static void publicDirectory(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(PUBLIC_DIR));
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
