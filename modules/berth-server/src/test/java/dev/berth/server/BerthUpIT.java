package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testing.Exec;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code berth up}: first start creates, second start reuses, Ctrl-C stops it cleanly. */
class BerthUpIT {

  @Test
  void firstStartCreatesCaTenantSubscriptionAndOwnerSecondStartReusesThem(@TempDir Path dataDir)
      throws Exception {
    int port = BerthProcess.freePort();
    BootstrapInfo first;
    String caPem;
    try (BerthProcess berth = BerthProcess.up(dataDir, port)) {
      Path bootstrap = dataDir.resolve("bootstrap.json");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(bootstrap)))
          .isEqualTo("rw-------");
      first = Https.JSON.readValue(Files.readString(bootstrap), BootstrapInfo.class);
      assertThat(first.tenantId()).isNotBlank();
      assertThat(first.subscriptionId()).isNotBlank();
      assertThat(first.clientId()).isNotBlank();
      assertThat(first.clientSecret()).hasSizeGreaterThanOrEqualTo(32);
      assertThat(first.managementEndpoint()).isEqualTo("https://127.0.0.1:" + port + "/");
      assertThat(first.authority()).isEqualTo("https://127.0.0.1:" + port);
      assertThat(first.caFile()).isEqualTo(dataDir.resolve("tls/ca.pem").toString());
      caPem = Files.readString(dataDir.resolve("tls/ca.pem"));
      assertThat(berth.output()).anyMatch(l -> l.contains(first.managementEndpoint()));
      assertThat(berth.output()).anyMatch(l -> l.contains("berth login"));

      // The Owner can use the API at once.
      Https https = new Https(dataDir.resolve("tls/ca.pem"), first.managementEndpoint());
      String token =
          https.token(
              first.tenantId(), first.clientId(), first.clientSecret(), first.managementEndpoint());
      var subs =
          Https.json(https.send("GET", "/subscriptions?api-version=2022-12-01", token, null));
      assertThat(subs.path("value").get(0).path("subscriptionId").asText())
          .isEqualTo(first.subscriptionId());

      assertThat(berth.interrupt(Duration.ofSeconds(20))).as("exit code after Ctrl-C").isIn(0, 130);
    }
    try (BerthProcess berth = BerthProcess.up(dataDir, port)) {
      BootstrapInfo second =
          Https.JSON.readValue(
              Files.readString(dataDir.resolve("bootstrap.json")), BootstrapInfo.class);
      assertThat(second).isEqualTo(first);
      assertThat(Files.readString(dataDir.resolve("tls/ca.pem"))).isEqualTo(caPem);
    }
  }

  @Test
  void berthCaPrintsTheCaCertificate(@TempDir Path dataDir) throws Exception {
    Exec.Result ca =
        Exec.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "ca",
                "--data-dir",
                dataDir.toString())
            .separateStderr()
            .timeout(Duration.ofSeconds(30))
            .run();
    assertThat(ca.exit()).as(ca.output()).isZero();
    String out = ca.stdout();
    assertThat(out)
        .startsWith("-----BEGIN CERTIFICATE-----")
        .isEqualTo(Files.readString(dataDir.resolve("tls/ca.pem")));
  }

  /**
   * The README's first command, through the launcher script (the jar is packaged before ITs run).
   */
  @Test
  void binBerthUpStartsTheServer(@TempDir Path dataDir) throws Exception {
    Path launcher = Path.of("../../bin/berth").toAbsolutePath().normalize();
    int port = BerthProcess.freePort();
    ProcessBuilder pb =
        new ProcessBuilder(
                launcher.toString(),
                "up",
                "--data-dir",
                dataDir.toString(),
                "--port",
                Integer.toString(port))
            .redirectErrorStream(true);
    pb.environment().put("BERTH_SKIP_BUILD", "1");
    pb.environment().put("BERTH_RUNTIME", "none");
    Process p = pb.start();
    // A launcher that never becomes ready is killed (by PID, with its JVM), which ends the read.
    var watchdog =
        CompletableFuture.runAsync(
            () -> {
              p.descendants().forEach(ProcessHandle::destroyForcibly);
              p.destroyForcibly();
            },
            CompletableFuture.delayedExecutor(3, TimeUnit.MINUTES));
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      List<String> seen = new java.util.ArrayList<>();
      while ((line = in.readLine()) != null && !line.startsWith("Berth is ready")) {
        seen.add(line);
      }
      assertThat(line).as("output: %s", seen).startsWith("Berth is ready");
    } finally {
      watchdog.cancel(false);
      p.destroy(); // SIGTERM, by PID
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        Exec.kill(p);
      }
    }
  }
}
