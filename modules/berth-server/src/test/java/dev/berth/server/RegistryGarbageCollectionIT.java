package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cli.BerthCli;
import dev.berth.cli.CliEnvironment;
import dev.berth.registry.distribution.GarbageCollector;
import dev.berth.registry.testing.OciLayouts;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code berth acr repository delete} and then a registry garbage collection free the image's bytes
 * on disk, while an image of another repository stays whole and pullable.
 */
@Timeout(300)
class RegistryGarbageCollectionIT {

  @RegisterExtension static final RunningBerth BERTH = new RunningBerth();

  @TempDir static Path home;

  private static int berth(String... args) {
    CliEnvironment env =
        CliEnvironment.of(
            Map.of(
                "BERTH_DATA_DIR",
                BERTH.dataDir().toString(),
                "BERTH_CONFIG_DIR",
                home.resolve("config").toString()),
            home,
            Clock.systemUTC());
    var cli = BerthCli.commandLine(env);
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(new StringWriter(), true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    assertThat(exit).as(String.join(" ", args) + ": " + err).isZero();
    return exit;
  }

  /** A layout holding one image whose layer is {@code size} random (incompressible) bytes. */
  private static Path image(String name, int size, long seed) throws Exception {
    Path layout = Files.createTempDirectory(BERTH.dataDir(), name);
    byte[] content = new byte[size];
    new Random(seed).nextBytes(content);
    OciLayouts.write(layout, "v1", List.of(new OciLayouts.File("data.bin", content, 0644, null)));
    return layout;
  }

  private static long blobBytes() throws Exception {
    try (Stream<Path> files = Files.walk(BERTH.dataDir().resolve("registry/blobs"))) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  @Test
  void deletingARepositoryFreesItsBytesOnceGarbageIsCollected() throws Exception {
    berth("login");
    RegistryFixture fx = new RegistryFixture(BERTH);
    String registry = fx.createRegistry("gc", "gcacr", "{\"adminUserEnabled\":true}");
    String server = fx.loginServer(registry);
    String creds = "gcacr:" + fx.adminPassword(registry);
    assertThat(fx.push(image("a", 3 << 20, 1), server, creds, "team/a:v1").exit()).isZero();
    assertThat(fx.push(image("b", 1 << 20, 2), server, creds, "team/b:v1").exit()).isZero();
    long before = blobBytes();

    berth("acr", "repository", "delete", "-n", "gcacr", "--repository", "team/a", "--yes");
    assertThat(blobBytes()).as("deleting only unlinks").isEqualTo(before);

    GarbageCollector.Report report = BERTH.server().housekeeping().collectGarbage(Duration.ZERO);
    assertThat(report.blobsDeleted()).isEqualTo(3); // manifest, config, layer
    assertThat(report.bytesFreed()).isGreaterThan(3 << 20);
    assertThat(blobBytes()).isEqualTo(before - report.bytesFreed()).isLessThan(before - (3 << 20));

    Path pulled = Files.createTempDirectory(BERTH.dataDir(), "pulled");
    var copy =
        fx.skopeo(
            "copy",
            "--src-cert-dir",
            fx.certDir.toString(),
            "--src-creds",
            creds,
            "docker://" + server + "/team/b:v1",
            "oci:" + pulled + ":v1");
    assertThat(copy.exit()).as(copy.output()).isZero();
    var gone = fx.inspect(server, creds, "team/a:v1");
    assertThat(gone.exit()).isNotZero();
    assertThat(gone.output()).contains("repository name not known to registry");
  }
}
