package dev.berth.server;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code berth up}: starts the server in the foreground until Ctrl-C. */
@Command(
    name = "up",
    description = "Start Berth in the foreground (Ctrl-C stops it).",
    mixinStandardHelpOptions = true)
final class UpCommand implements Callable<Integer> {

  @Option(
      names = "--data-dir",
      description = "State directory (env BERTH_DATA_DIR; default ~/.berth).")
  Path dataDir;

  @Option(names = "--port", description = "HTTPS port (env BERTH_PORT; default 8443).")
  Integer port;

  @Option(
      names = "--ingress-https-port",
      paramLabel = "PORT",
      description =
          "The apps' HTTPS port; 0: none (env BERTH_INGRESS_HTTPS_PORT; default 443, or 10443"
              + " when 443 cannot be bound).")
  Integer ingressHttpsPort;

  @Option(
      names = "--ingress-http-port",
      paramLabel = "PORT",
      description =
          "The apps' HTTP port; 0: none (env BERTH_INGRESS_HTTP_PORT; default 80, or 10080 when 80"
              + " cannot be bound).")
  Integer ingressHttpPort;

  @Option(
      names = "--host",
      description = "Address to listen on (env BERTH_HOST; default 127.0.0.1).")
  String host;

  @Option(
      names = "--name",
      description =
          "Extra DNS name or IP for the server certificate (repeatable; env BERTH_NAMES).")
  List<String> names;

  @Option(
      names = "--registry-domain",
      description =
          "DNS domain for registry login servers (<name>.<domain>; env BERTH_REGISTRY_DOMAIN)."
              + " Default: none, each registry gets its own loopback port.")
  String registryDomain;

  @Option(
      names = "--runtime",
      description =
          "What runs replicas: runc (default; needs root, runc, iproute2) or none (env"
              + " BERTH_RUNTIME).")
  String runtime;

  @Option(
      names = "--replica-network",
      description =
          "CIDR replicas get addresses from, on Berth's bridge (env BERTH_REPLICA_NETWORK;"
              + " default 10.213.0.0/16).")
  String replicaNetwork;

  @Option(
      names = "--tls-provider",
      description =
          "TLS engine of the HTTPS listeners: auto (default; BoringSSL where netty-tcnative"
              + " loads, else the JDK's), boringssl or jdk (env BERTH_TLS_PROVIDER).")
  String tlsProvider;

  @Option(
      names = "--secrets-key-file",
      paramLabel = "FILE",
      description =
          "The key secrets are sealed with: 32 bytes in base64 (openssl rand -base64 32), kept"
              + " outside the data directory (env BERTH_SECRETS_KEY_FILE). Default: keys/secrets.key"
              + " in the data directory, made at first start.")
  Path secretsKeyFile;

  @Option(
      names = "--max-connections",
      paramLabel = "N",
      description =
          "Connections open at once on all of Berth's ports (env BERTH_MAX_CONNECTIONS; default"
              + " 4096, at most half the file-descriptor limit).")
  Integer maxConnections;

  @Option(
      names = "--max-connections-per-peer",
      paramLabel = "N",
      description =
          "Connections open at once from one address (env BERTH_MAX_CONNECTIONS_PER_PEER;"
              + " default 256).")
  Integer maxConnectionsPerPeer;

  @Option(
      names = "--operation-retention",
      paramLabel = "DURATION",
      description =
          "How long ended ARM operations stay readable, ISO-8601 (env BERTH_OPERATION_RETENTION;"
              + " default PT24H).")
  String operationRetention;

  @Option(
      names = "--registry-gc-interval",
      paramLabel = "DURATION",
      description =
          "How often registry garbage is collected, ISO-8601; PT0S: never (env"
              + " BERTH_REGISTRY_GC_INTERVAL; default PT1H).")
  String registryGcInterval;

  @Option(
      names = "--registry-gc-grace",
      paramLabel = "DURATION",
      description =
          "How long a blob no manifest names is kept after its last use, ISO-8601 (env"
              + " BERTH_REGISTRY_GC_GRACE; default PT1H).")
  String registryGcGrace;

  @Option(
      names = "--store",
      paramLabel = "URL",
      description =
          "Where ARM resources are kept: postgresql://HOST:PORT/DATABASE?user=USER (the password"
              + " from ~/.pgpass; env BERTH_STORE). Default: SQLite in the data directory.")
  String store;

  @Option(
      names = "--blobs",
      paramLabel = "LOCATION",
      description =
          "Where registry blobs are kept: azure-blob:https://ACCOUNT.blob.core.windows.net/CONTAINER"
              + " (the account key from AZURE_STORAGE_KEY; env BERTH_BLOBS). Default: the data"
              + " directory.")
  String blobs;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    ServerConfig config;
    try {
      config =
          ServerConfig.resolve(
              dataDir,
              port,
              host,
              names,
              registryDomain,
              runtime,
              replicaNetwork,
              tlsProvider,
              secretsKeyFile,
              System.getenv());
      config =
          config
              .withLimits(config.limits().withConnections(maxConnections, maxConnectionsPerPeer))
              .withIngressOptions(ingressHttpsPort, ingressHttpPort, System.getenv())
              .withStoreOption(store, System.getenv())
              .withBlobsOption(blobs, System.getenv())
              .withHousekeeping(
                  config
                      .housekeeping()
                      .withOptions(operationRetention, registryGcInterval, registryGcGrace));
    } catch (IllegalArgumentException e) {
      // A bad value, from an option or the environment: its message and the usage, exit code 2.
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    if (config.replicas().enabled()) {
      // A fresh machine has a JDK and nothing else: bring what replicas need, or say how.
      new HostPackages(HostPackages.system(), spec.commandLine().getErr()).ensure();
    }
    long started = System.nanoTime();
    BerthServer server;
    try {
      server = BerthServer.start(config);
    } catch (IllegalStateException | IOException e) {
      // What this machine cannot do (run replicas, load BoringSSL, bind the port): the message
      // says what to change; a stack trace would bury it.
      spec.commandLine().getErr().println("berth up: " + e.getMessage());
      return 1;
    }
    long readyMillis = (System.nanoTime() - started) / 1_000_000;
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("Stopping Berth…");
                  server.close();
                  stopped.countDown();
                },
                "berth-shutdown"));
    System.out.print(server.banner(readyMillis));
    System.out.flush();
    stopped.await();
    return 0;
  }
}
