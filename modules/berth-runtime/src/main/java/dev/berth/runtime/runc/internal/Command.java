package dev.berth.runtime.runc.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a short host command (ip, mount, runc state) to completion and captures its output. */
public final class Command {

  /** What a finished command printed. */
  public record Result(List<String> command, int exitCode, String stdout, String stderr) {

    public boolean ok() {
      return exitCode == 0;
    }

    /** Throws unless the command succeeded; the message quotes the command and its stderr. */
    public Result check() throws IOException {
      if (!ok()) {
        throw new IOException(
            "'"
                + String.join(" ", command)
                + "' failed (exit "
                + exitCode
                + "): "
                + stderr.strip());
      }
      return this;
    }
  }

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private Command() {}

  public static Result run(List<String> command) throws IOException {
    return run(command, null);
  }

  /** Runs {@code command}, feeding {@code stdin} when not null. */
  public static Result run(List<String> command, String stdin) throws IOException {
    Process process;
    try {
      process = new ProcessBuilder(command).start();
    } catch (IOException e) {
      throw new IOException("cannot run '" + command.getFirst() + "': " + e.getMessage(), e);
    }
    CompletableFuture<String> out = drain(process.getInputStream());
    CompletableFuture<String> err = drain(process.getErrorStream());
    try (var in = process.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    }
    try {
      if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IOException("'" + String.join(" ", command) + "' did not finish in " + TIMEOUT);
      }
      return new Result(List.copyOf(command), process.exitValue(), out.join(), err.join());
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running '" + command.getFirst() + "'", e);
    }
  }

  private static CompletableFuture<String> drain(InputStream stream) {
    CompletableFuture<String> text = new CompletableFuture<>();
    Thread.ofVirtual()
        .start(
            () -> {
              try (stream) {
                text.complete(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
              } catch (IOException e) {
                text.completeExceptionally(new UncheckedIOException(e));
              }
            });
    return text;
  }
}
