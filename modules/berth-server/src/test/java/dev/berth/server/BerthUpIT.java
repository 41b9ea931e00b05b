package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testing.Exec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
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
  @Timeout(180)
  void aSecondBerthOnTheSameDataDirNamesTheFirstAndTouchesNothing(@TempDir Path dataDir)
      throws Exception {
    int port = BerthProcess.freePort();
    try (BerthProcess first = BerthProcess.up(dataDir, port)) {
      Path bootstrap = dataDir.resolve("bootstrap.json");
      byte[] before = Files.readAllBytes(bootstrap);
      var modified = Files.getLastModifiedTime(bootstrap);

      BerthProcess second =
          BerthProcess.spawn(
              List.of(
                  "up",
                  "--data-dir",
                  dataDir.toString(),
                  "--port",
                  Integer.toString(BerthProcess.freePort())),
              Map.of());

      assertThat(second.exitCode(Duration.ofSeconds(60))).isEqualTo(1);
      assertThat(String.join("\n", second.output()))
          .contains(dataDir.toString() + " is in use by another Berth")
          .contains("PID " + first.pid())
          .contains("https://127.0.0.1:" + port + "/")
          .doesNotContain("Berth is ready")
          .doesNotContain("Exception");
      assertThat(Files.readAllBytes(bootstrap)).isEqualTo(before);
      assertThat(Files.getLastModifiedTime(bootstrap)).isEqualTo(modified);
      // The first one still serves, on its own port.
      BootstrapInfo b = Https.JSON.readValue(before, BootstrapInfo.class);
      Https https = new Https(dataDir.resolve("tls/ca.pem"), b.managementEndpoint());
      assertThat(https.token(b.tenantId(), b.clientId(), b.clientSecret(), b.managementEndpoint()))
          .isNotBlank();
    }
    // Once the first has stopped, the directory is free again (kill -9 frees it too).
    try (BerthProcess again = BerthProcess.up(dataDir, port)) {
      assertThat(again.output()).anyMatch(l -> l.startsWith("Berth is ready"));
    }
  }

  /**
   * Registries listen on ports of their own; a restart opens them all before Berth's own port, so a
   * client that gets an answer from the API finds every registry answering too.
   */
  @Test
  @Timeout(180)
  void theApiAnswersOnlyOnceEveryRegistryPortIsOpen(@TempDir Path dataDir) throws Exception {
    int port = BerthProcess.freePort();
    List<Integer> registryPorts = new ArrayList<>();
    try (BerthProcess berth = BerthProcess.up(dataDir, port)) {
      RegistryFixture fx = RestartIT.fixture(dataDir).registry;
      // Each listener takes ~50 ms to start (its TLS contexts): eight of them take longer than
      // the API's first TLS handshake, so a registry opened after the API would be caught.
      for (String name : List.of("ra", "rb", "rc", "rd", "re", "rf", "rg", "rh")) {
        String server = fx.loginServer(fx.createRegistry("ready", name + "acr", "{}"));
        registryPorts.add(Integer.parseInt(server.substring(server.lastIndexOf(':') + 1)));
      }
      assertThat(berth.interrupt(Duration.ofSeconds(20))).isIn(0, 130);
    }
    Path ca = dataDir.resolve("tls/ca.pem");
    BerthProcess restarted =
        BerthProcess.spawn(
            List.of("up", "--data-dir", dataDir.toString(), "--port", Integer.toString(port)),
            Map.of());
    try (restarted) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      boolean answered = false;
      while (!answered && System.nanoTime() < deadline) {
        // A finished TLS handshake: the earliest answer the API's port can give.
        try (var s = (SSLSocket) Https.trusting(ca).getSocketFactory().createSocket()) {
          s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
          s.startHandshake();
          answered = true;
        } catch (IOException e) {
          Thread.sleep(1); // not accepting yet
        }
      }
      assertThat(answered).as("the API's port answered").isTrue();
      // At once: a registry port not yet open refuses the connection.
      for (int registryPort : registryPorts) {
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress("127.0.0.1", registryPort), 1000);
        } catch (ConnectException e) {
          throw new AssertionError(
              "registry port " + registryPort + " closed after the API's port answered", e);
        }
      }
      for (int registryPort : registryPorts) {
        assertThat(Https.rawGet(ca, registryPort, "127.0.0.1", "localhost", "/v2/"))
            .as("registry on port %d", registryPort)
            .startsWith("HTTP/1.1 401");
      }
      assertThat(Https.rawGet(ca, port, "127.0.0.1", "127.0.0.1", "/")).startsWith("HTTP/1.1");
      restarted.awaitReady();
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
      List<String> seen = new ArrayList<>();
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
