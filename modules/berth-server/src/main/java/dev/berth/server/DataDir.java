package dev.berth.server;

import java.nio.file.Path;

/**
 * Where Berth keeps its state, drawn once. Everything lives under one directory ({@code ~/.berth}
 * by default) so that backing it up or wiping it is one command:
 *
 * <pre>
 * ~/.berth/
 * ├── berth.lock            0600  held (OS file lock) by the running server: its PID and URL
 * ├── bootstrap.json        0600  tenant, subscription, the Owner service principal and its secret
 * ├── berth.db              SQLite (WAL): every resource document, role assignment, operation
 * ├── keys/                 0700  token-signing keys (JWK set, 0600)
 * ├── registry/             blobs by digest, uploads, repositories (see the registry's BlobPaths)
 * ├── images/               the layer cache: pulled layers unpacked once, by digest
 * ├── runtime/              the runc driver's state: replica records, bundles, overlay dirs
 * ├── logs/                 per app: system.log and each replica's console output
 * └── tls/
 *     ├── ca.pem            the local CA certificate: what clients trust ({@code berth ca})
 *     ├── ca-key.pem        0600
 *     ├── server.pem        the server certificate (every name Berth answers on)
 *     └── server-key.pem    0600
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

  /** Where the registry keeps blobs and repository metadata. */
  public Path registry() {
    return root.resolve("registry");
  }

  /** The image puller's layer cache. */
  public Path images() {
    return root.resolve("images");
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
}
