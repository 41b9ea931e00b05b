package dev.berth.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An external command a test runs, bounded by a deadline: the tool's output goes to files (so a
 * chatty tool never blocks on a full pipe and a silent one never blocks its reader), and a tool
 * still running at the deadline is killed with its descendants, by PID, and fails the test with
 * what it printed. A missing tool fails with its name, never a skip. Not thread-safe while being
 * built; {@link #run} may be called again.
 *
 * <pre>{@code
 * Exec.Result r = Exec.of("skopeo", "inspect", "docker://…").timeout(Duration.ofMinutes(2)).run();
 * assertThat(r.exit()).as(r.output()).isZero();
 * }</pre>
 */
public final class Exec {

  /** What a run of a command left: its exit code and what it printed. */
  public record Result(List<String> command, int exit, String stdout, String stderr) {

    /** Standard output followed by standard error (both, when they were merged, in order). */
    public String output() {
      return stderr.isEmpty() ? stdout : stdout + stderr;
    }

    /** This result, or an {@link AssertionError} with the command and its output. */
    public Result requireSuccess() {
      if (exit != 0) {
        throw new AssertionError(
            String.join(" ", command) + " exited with " + exit + ":\n" + output());
      }
      return this;
    }
  }

  private final List<String> command;
  private final Map<String, String> env = new HashMap<>();
  private final List<String> envRemoved = new ArrayList<>();
  private File directory;
  private Duration timeout = Duration.ofMinutes(2);
  private boolean separateStderr;
  private Path stdin;

  private Exec(List<String> command) {
    if (command.isEmpty()) {
      throw new IllegalArgumentException("empty command");
    }
    this.command = List.copyOf(command);
  }

  public static Exec of(String... command) {
    return new Exec(List.of(command));
  }

  public static Exec of(List<String> command) {
    return new Exec(command);
  }

  /** How long the command may run; two minutes unless set. */
  public Exec timeout(Duration value) {
    this.timeout = value;
    return this;
  }

  public Exec env(String name, String value) {
    env.put(name, value);
    return this;
  }

  public Exec env(Map<String, String> values) {
    env.putAll(values);
    return this;
  }

  public Exec directory(Path dir) {
    this.directory = dir.toFile();
    return this;
  }

  /** Feeds this file to the command's standard input (otherwise it reads an empty input). */
  public Exec stdin(Path file) {
    this.stdin = file;
    return this;
  }

  /** Keeps standard error apart from standard output ({@link Result#stderr}). */
  public Exec separateStderr() {
    this.separateStderr = true;
    return this;
  }

  /** Runs the command to its end or its deadline. */
  public Result run() throws IOException, InterruptedException {
    Path out = Files.createTempFile("berth-exec-", ".out");
    Path err = separateStderr ? Files.createTempFile("berth-exec-", ".err") : null;
    try {
      ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile());
      if (err == null) {
        pb.redirectErrorStream(true);
      } else {
        pb.redirectError(err.toFile());
      }
      pb.redirectInput(stdin == null ? ProcessBuilder.Redirect.from(nullFile()) : fromFile());
      pb.directory(directory);
      envRemoved.forEach(pb.environment()::remove);
      pb.environment().putAll(env);
      Process process = start(pb);
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        kill(process);
        throw new AssertionError(
            String.join(" ", command)
                + " did not finish within "
                + timeout
                + "; it printed:\n"
                + read(out)
                + (err == null ? "" : read(err)));
      }
      return new Result(command, process.exitValue(), read(out), err == null ? "" : read(err));
    } finally {
      Files.deleteIfExists(out);
      if (err != null) {
        Files.deleteIfExists(err);
      }
    }
  }

  /** Starts a process, naming the tool when it is not installed. */
  public static Process start(ProcessBuilder pb) throws IOException {
    try {
      return pb.start();
    } catch (IOException e) {
      String tool = pb.command().get(0);
      if (Files.isExecutable(Path.of(tool)) || e.getMessage() == null) {
        throw e;
      }
      throw new IllegalStateException(
          tool + " is required for this test and was not found (.ci/run installs it)", e);
    }
  }

  /** Kills a process and every process it started, by PID, and waits for it. */
  public static void kill(Process process) throws InterruptedException {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  private ProcessBuilder.Redirect fromFile() {
    return ProcessBuilder.Redirect.from(stdin.toFile());
  }

  private static File nullFile() {
    return new File("/dev/null");
  }

  private static String read(Path file) throws IOException {
    // Lenient: a tool may print bytes that are not UTF-8.
    return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
  }
}
