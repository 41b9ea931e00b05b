package dev.berth.runtime.runc.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.api.files.PrivateFiles;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The runc command line, always with our own {@code --root} so that our containers never mix with
 * anyone else's. Thread-safe.
 */
public final class Runc {

  /**
   * What {@code runc state} says: {@code creating}, {@code created}, {@code running}, {@code
   * stopped}.
   */
  public record State(String status, long pid) {
    public boolean running() {
      return status.equals("running") || status.equals("created") || status.equals("creating");
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String binary;
  private final Path root;

  public Runc(String binary, Path root) {
    this.binary = binary;
    this.root = root;
  }

  /**
   * Starts {@code runc run} in the foreground, in its own session (so a Ctrl-C on Berth is not
   * forwarded to the replicas), stdin from /dev/null and both streams appended to {@code log}. Its
   * exit code is the container's.
   */
  public Process run(String id, Path bundle, Path pidFile, Path log) throws IOException {
    PrivateFiles.createDirectories(log.toAbsolutePath().getParent());
    // Console output may hold anything the app prints: created 0600 here, then appended to.
    PrivateFiles.ensureFile(log);
    return new ProcessBuilder(
            "setsid",
            binary,
            "--root",
            root.toString(),
            "run",
            "--bundle",
            bundle.toString(),
            "--pid-file",
            pidFile.toString(),
            id)
        .redirectInput(new File("/dev/null"))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectErrorStream(true)
        .start();
  }

  /** The container's state, or empty when runc does not know it. */
  public Optional<State> state(String id) throws IOException {
    var result = Command.run(command("state", id));
    if (!result.ok()) {
      return Optional.empty();
    }
    JsonNode state = JSON.readTree(result.stdout());
    return Optional.of(new State(state.path("status").asText(), state.path("pid").asLong()));
  }

  /** Sends {@code signal}; false when the container is not running. */
  public boolean kill(String id, String signal) throws IOException {
    return Command.run(command("kill", id, signal)).ok();
  }

  /** Deletes the container, killing it if needed; no error when it does not exist. */
  public void delete(String id) throws IOException {
    var result = Command.run(command("delete", "--force", id));
    if (!result.ok() && state(id).isPresent()) {
      result.check();
    }
  }

  /** The ids of every container under our root. */
  public List<String> list() throws IOException {
    var result = Command.run(command("list", "--format", "json")).check();
    List<String> ids = new ArrayList<>();
    JsonNode containers = JSON.readTree(result.stdout().isBlank() ? "[]" : result.stdout());
    containers.forEach(container -> ids.add(container.path("id").asText()));
    return ids;
  }

  private List<String> command(String... args) {
    List<String> command = new ArrayList<>(List.of(binary, "--root", root.toString()));
    command.addAll(List.of(args));
    return command;
  }
}
