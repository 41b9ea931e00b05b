package dev.berth.server;

import dev.berth.testing.Exec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
                String readyLine = null;
                while ((line = in.readLine()) != null) {
                  output.add(line);
                  if (line.startsWith("Berth is ready")) {
                    readyLine = line;
                  }
                  // Ready once the whole banner is read, so a test sees every line of it.
                  if (readyLine != null && line.startsWith("Press Ctrl-C to stop")) {
                    ready.complete(readyLine);
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
    return start(args, Map.of());
  }

  /** Starts {@code Main args} with these extra environment variables, and waits until ready. */
  static BerthProcess start(List<String> args, Map<String, String> env) throws Exception {
    return start(args, env, List.of());
  }

  /** As {@link #start(List, java.util.Map)}, with these options for the JVM. */
  static BerthProcess start(List<String> args, Map<String, String> env, List<String> jvmOptions)
      throws Exception {
    return spawn(args, env, jvmOptions).awaitReady();
  }

  /** Starts {@code Main args} and returns at once: for tests of what happens while it starts. */
  static BerthProcess spawn(List<String> args, Map<String, String> env) throws IOException {
    return spawn(args, env, List.of());
  }

  private static BerthProcess spawn(
      List<String> args, Map<String, String> env, List<String> jvmOptions) throws IOException {
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
    // Nor the apps' ingress: a test's Berth must not take the machine's 443 and 80 (IngressIT
    // tests the ingress in-process, on ports the system picks).
    builder.environment().putIfAbsent("BERTH_INGRESS_HTTPS_PORT", "0");
    builder.environment().putIfAbsent("BERTH_INGRESS_HTTP_PORT", "0");
    return new BerthProcess(builder.start());
  }

  /** Waits until the process prints that it is ready (it is killed if it does not within 60 s). */
  BerthProcess awaitReady() throws Exception {
    try {
      ready.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      close();
      throw new IllegalStateException(
          "berth did not become ready:\n" + String.join("\n", output), e);
    }
    return this;
  }

  /**
   * Starts {@code bin/berth args} (the launcher, with its JVM options: heap, collector, native
   * memory trimming) without building or recording the start-up cache, and waits until ready.
   */
  static BerthProcess launcher(List<String> args, Map<String, String> env) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of("../../bin/berth").toAbsolutePath().normalize().toString());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    builder.environment().put("BERTH_SKIP_BUILD", "1");
    builder.environment().put("BERTH_AOT", "0");
    builder.environment().putIfAbsent("BERTH_RUNTIME", "none");
    builder.environment().putIfAbsent("BERTH_INGRESS_HTTPS_PORT", "0");
    builder.environment().putIfAbsent("BERTH_INGRESS_HTTP_PORT", "0");
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    return new BerthProcess(builder.start()).awaitReady();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Waits for the process to end by itself; its exit code. */
  int exitCode(Duration wait) throws Exception {
    if (!process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
      close();
      throw new IllegalStateException("berth did not exit within " + wait + ":\n" + output());
    }
    // The reader thread has the last lines once the stream ends.
    try {
      ready.get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      // not ready, as expected of a process that stopped
    }
    return process.exitValue();
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
