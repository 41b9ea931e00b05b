package dev.berth.registry.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Azurite's blob service (Microsoft's Azure Storage emulator, from npm: {@code
 * node_modules/.bin/azurite-blob} at the repository root, which {@code npm ci} installs) on a free
 * loopback port, in memory, for one test class. Stopped by its PID on {@link #close}.
 */
public final class Azurite implements AutoCloseable {

  /** Azurite's one account, and its published development key (not a secret). */
  public static final String ACCOUNT = "devstoreaccount1";

  public static final String KEY =
      "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

  private final Process process;
  private final int port;
  private final Path log;

  private Azurite(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Starts the blob service and waits until its port accepts. */
  public static Azurite start() throws IOException, InterruptedException {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("package-lock.json"))) {
      dir = dir.getParent();
    }
    Path azurite = dir == null ? null : dir.resolve("node_modules/.bin/azurite-blob");
    if (azurite == null || !Files.isExecutable(azurite)) {
      throw new IllegalStateException(
          "node_modules/.bin/azurite-blob is missing: run `npm ci` at the repository root"
              + " (.ci/run does); it needs node");
    }
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Path log = Files.createTempFile("azurite-", ".log");
    Process process =
        new ProcessBuilder(
                List.of(
                    azurite.toString(),
                    "--inMemoryPersistence",
                    "--blobHost",
                    "127.0.0.1",
                    "--blobPort",
                    String.valueOf(port),
                    "--skipApiVersionCheck",
                    "--disableProductStyleUrl"))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    Azurite started = new Azurite(process, port, log);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try (Socket probe = new Socket()) {
        probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return started;
      } catch (IOException notYet) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          String out = Files.readString(log);
          started.close();
          throw new IllegalStateException("Azurite did not start on port " + port + ":\n" + out);
        }
        Thread.sleep(50);
      }
    }
  }

  /** The URL of {@code container} in Azurite's account (path-style, as Azurite serves it). */
  public String containerUrl(String container) {
    return "http://127.0.0.1:" + port + "/" + ACCOUNT + "/" + container;
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try {
      Files.deleteIfExists(log);
    } catch (IOException e) {
      // a temporary file
    }
  }
}
