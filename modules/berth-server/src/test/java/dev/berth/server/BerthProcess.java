package dev.berth.server;

import dev.berth.testing.Exec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * {@code berth up} in a child JVM, for tests that must kill or signal the server: started with the
 * test's own classpath, stopped by its PID only.
 */
final class BerthProcess implements AutoCloseable {

  private final Process process;
  private final List<String> output = new CopyOnWriteArrayList<>();
  private final CompletableFuture<String> ready = new CompletableFuture<>();

  private BerthProcess(Process process) {
    this.process = process;
    Thread.ofVirtual()
        .start(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  output.add(line);
                  if (line.startsWith("Berth is ready")) {
                    ready.complete(line);
                  }
                }
              } catch (IOException e) {
                // the process ended
              }
              ready.completeExceptionally(
                  new IllegalStateException("berth exited: " + String.join("\n", output)));
            });
  }

  /**
   * Starts {@code java … dev.berth.server.Main up --data-dir DIR --port PORT} and waits until
   * ready.
   */
  static BerthProcess up(Path dataDir, int port) throws Exception {
    return start(List.of("up", "--data-dir", dataDir.toString(), "--port", Integer.toString(port)));
  }

  static BerthProcess start(List<String> args) throws Exception {
    return start(args, java.util.Map.of());
  }

  /** Starts {@code Main args} with these extra environment variables, and waits until ready. */
  static BerthProcess start(List<String> args, java.util.Map<String, String> env) throws Exception {
    return start(args, env, List.of());
  }

  /** As {@link #start(List, java.util.Map)}, with these options for the JVM. */
  static BerthProcess start(
      List<String> args, java.util.Map<String, String> env, List<String> jvmOptions)
      throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("--enable-native-access=ALL-UNNAMED");
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    // These tests are about the server process, not replicas: no bridge, no runc.
    builder.environment().putAll(env);
    builder.environment().putIfAbsent("BERTH_RUNTIME", "none");
    Process p = builder.start();
    BerthProcess berth = new BerthProcess(p);
    try {
      berth.ready.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      berth.close();
      throw new IllegalStateException(
          "berth did not become ready:\n" + String.join("\n", berth.output), e);
    }
    return berth;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  long pid() {
    return process.pid();
  }

  List<String> output() {
    return List.copyOf(output);
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed that was not already durable. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGINT, as Ctrl-C sends; returns the exit code. */
  int interrupt(Duration wait) throws Exception {
    Exec.of("kill", "-INT", Long.toString(process.pid()))
        .timeout(Duration.ofSeconds(10))
        .run()
        .requireSuccess();
    if (!process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("berth did not stop within " + wait);
    }
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
