package dev.berth.server;

import java.nio.file.Path;

/**
 * Where Berth keeps its state, drawn once. Everything lives under one directory ({@code ~/.berth}
 * by default) so that backing it up or wiping it is one command. The directory and every folder in
 * it are 0700, every file 0600, checked and repaired at each start ({@link PrivateDataDir}); the
 * trees marked (c) belong to containers and keep their own modes, the 0700 folders above them keep
 * other users out:
 *
 * <pre>
 * ~/.berth/
 * ├── berth.lock            held (OS file lock) by the running server: its PID and URL
 * ├── bootstrap.json        tenant, subscription, the Owner service principal and its secret
 * ├── berth.db              SQLite (WAL; -wal, -shm beside it): every resource document, role
 * │                         assignment, operation; secret values sealed (docs/security.md)
 * ├── keys/                 token-signing keys (JWK set); secrets.key, the key secrets are sealed
 * │                         with (unless --secrets-key-file names one elsewhere)
 * ├── registry/             blobs by digest, uploads, repositories (see the registry's BlobPaths)
 * ├── images/               the layer cache: pulled layers unpacked once, by digest
 * │   ├── layers/sha256/&lt;hex&gt;/   (c) an unpacked layer
 * │   └── tmp/                   downloads (0600) and layers being unpacked (c)
 * ├── runtime/              the runc driver's state: replica records, bundles, overlay dirs
 * │   └── bundles/&lt;name&gt;/     config.json (0600: the app's env), pid; rootfs/ upper/ work/ (c),
 * │                         hosts and resolv.conf (c: 0644, bind-mounted into the container)
 * ├── replica-certs/        containers/ and docker/ (c: 0755, 0644): &lt;login server&gt;/ca.crt,
 * │                         Berth's CA certificate, bound into every replica read-only
 * ├── logs/                 per app: system.log and each replica's console output
 * └── tls/
 *     ├── ca.pem            the local CA certificate: what clients trust ({@code berth ca})
 *     ├── ca-key.pem
 *     ├── server.pem        the server certificate (every name Berth answers on)
 *     ├── server-key.pem
 *     └── ingress/          per environment: &lt;defaultDomain&gt;.pem and -key.pem, the
 *                           wildcard *.&lt;defaultDomain&gt; its apps' host names are served with
 * </pre>
 */
public record DataDir(Path root) {

  public DataDir {
    root = root.toAbsolutePath().normalize();
  }

  /** Held by the one server running on this directory ({@link DataDirLock}). */
  public Path lockFile() {
    return root.resolve("berth.lock");
  }

  public Path bootstrapFile() {
    return root.resolve("bootstrap.json");
  }

  public Path database() {
    return root.resolve("berth.db");
  }

  public Path signingKeys() {
    return root.resolve("keys");
  }

  /** The key secrets are sealed with, made at first start when no other key is configured. */
  public Path secretsKey() {
    return root.resolve("keys/secrets.key");
  }

  /** Where the registry keeps blobs and repository metadata. */
  public Path registry() {
    return root.resolve("registry");
  }

  /** The image puller's layer cache. */
  public Path images() {
    return root.resolve("images");
  }

  /** The registries' CA folders bound into replicas ({@code ReplicaRegistryExtras}). */
  public Path replicaCerts() {
    return root.resolve("replica-certs");
  }

  /** The replica runtime's state (survives restarts: that is how replicas are adopted). */
  public Path runtime() {
    return root.resolve("runtime");
  }

  /** Replica console logs and system events. */
  public Path logs() {
    return root.resolve("logs");
  }

  public Path caCertificate() {
    return root.resolve("tls/ca.pem");
  }

  public Path caKey() {
    return root.resolve("tls/ca-key.pem");
  }

  public Path serverCertificate() {
    return root.resolve("tls/server.pem");
  }

  public Path serverKey() {
    return root.resolve("tls/server-key.pem");
  }

  /** The apps' certificates, one wildcard per environment domain (docs/ingress.md). */
  public Path ingressCertificates() {
    return root.resolve("tls/ingress");
  }
}
