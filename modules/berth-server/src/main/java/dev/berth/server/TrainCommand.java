package dev.berth.server;

import dev.berth.runtime.runc.RuncRuntime;
import dev.berth.server.ServerConfig.ReplicaSettings;
import dev.berth.server.ingress.IngressPorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

/**
 * {@code berth train}: a start in a throw-away data directory, then what a first deploy does
 * ({@link Training}), then stop — for the JVM to record which classes a start and a first deploy
 * need, and their profiles. {@code bin/berth} runs it once per build with {@code
 * -XX:AOTCacheOutput} (JDK 25) and starts Berth from that cache, which halves start-up time and
 * shortens the first deploy after a start (docs/benchmarks.md). Replicas run when they can (root,
 * runc, a static busybox), on a bridge and address range of the training's own, and are stopped,
 * their bridge and cgroups removed, before it ends; otherwise the server runs none. It binds
 * loopback only and writes no hosts-file line ({@code bin/berth} runs it with {@code
 * BERTH_HOSTS_FILE=none}: its registry is {@code localhost:<port>}).
 */
@Command(
    name = "train",
    hidden = true,
    description = "Record a start-up cache (used by bin/berth).")
final class TrainCommand implements Callable<Integer> {

  /** The training's replicas: apart from a running Berth's (10.213.0.0/16) and the tests'. */
  private static final ReplicaSettings REPLICAS =
      ReplicaSettings.runc("10.212.0.0/24", "btrain0", "btrain");

  private static final Logger LOG = LoggerFactory.getLogger(TrainCommand.class);

  /**
   * The exit code of a training that ran no replica (the machine could not run one yet: no runc,
   * not root, no static busybox): the cache is good, but the first deploy's runtime paths are not
   * in it. {@code bin/berth} records again once runc is there ({@code berth up} installs it).
   */
  static final int WITHOUT_REPLICAS = 3;

  @Override
  public Integer call() throws Exception {
    Path dir = Files.createTempDirectory("berth-train-");
    try {
      ServerConfig config =
          ServerConfig.of(new DataDir(dir.resolve("data")), "127.0.0.1", 0)
              .withIngress(IngressPorts.anyFree());
      Optional<Path> busybox = Training.staticBusybox();
      BerthServer server = null;
      if (busybox.isPresent()) {
        try {
          server = BerthServer.start(config.withReplicas(REPLICAS));
        } catch (IOException e) {
          LOG.info("training without replicas: {}", e.getMessage());
          busybox = Optional.empty();
          deleteTree(dir.resolve("data"));
        }
      }
      if (server == null) {
        server = BerthServer.start(config);
      }
      try {
        new Training(
                server.bootstrap(),
                config.tls().effective(),
                dir.resolve("work"),
                busybox,
                server.ingressHttpPort())
            .run();
        LOG.info(
            "trained: a start, a registry, a push, two pulls, an app{}",
            busybox.isPresent() ? ", its replica and a request through the ingress" : "");
      } finally {
        if (busybox.isPresent()) {
          server.closeAndStopReplicas();
          RuncRuntime.removeHostState(REPLICAS.bridge(), REPLICAS.prefix());
        } else {
          server.close();
        }
      }
      return busybox.isPresent() ? 0 : WITHOUT_REPLICAS;
    } finally {
      deleteTree(dir);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
