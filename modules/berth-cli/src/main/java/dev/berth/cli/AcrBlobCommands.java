package dev.berth.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.client.RegistryBlobs;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code berth acr push} and {@code berth acr pull}: one blob between a file and a repository, with
 * progress on stderr. The image-level commands are podman's and skopeo's job.
 */
final class AcrBlobCommands {

  static final List<Output.Column> COLUMNS =
      List.of(
          Output.Column.of("Repository", "/repository"),
          Output.Column.of("Digest", "/digest"),
          Output.Column.of("Size", "/size"));

  private AcrBlobCommands() {}

  /**
   * Prints {@code <verb> <digest>: <percent>% (<done>/<total> bytes)} each time another tenth is
   * done, and once at the end; one line each, so logs stay readable.
   */
  static RegistryBlobs.Progress progress(PrintWriter err, String verb, String what) {
    int[] lastTenth = {-1};
    return (done, total) -> {
      int tenth = total > 0 ? (int) (done * 10 / total) : -1;
      if (total > 0 && tenth == lastTenth[0]) {
        return;
      }
      lastTenth[0] = tenth;
      String percent =
          total > 0
              ? String.format(Locale.ROOT, "%d%% (%d/%d bytes)", tenth * 10, done, total)
              : done + " bytes";
      err.println(verb + " " + what + ": " + percent);
      err.flush();
    };
  }

  static ObjectNode result(String repository, RegistryBlobs.Blob blob) {
    ObjectNode n = BerthCommand.JSON.createObjectNode();
    n.put("repository", repository);
    n.put("digest", blob.digest());
    n.put("size", blob.size());
    return n;
  }

  /** {@code berth acr push}: uploads a file as a blob (skipped when the registry has it). */
  @Command(
      name = "push",
      mixinStandardHelpOptions = true,
      description = "Upload a file as a blob of a repository.")
  static final class Push extends AcrRepositoryCommand.DataPlaneBase {
    @Option(names = "--repository", required = true, description = "Repository name.")
    String repository;

    @Option(names = "--file", required = true, description = "The file to upload.")
    Path file;

    Push(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      if (!Files.isRegularFile(file)) {
        throw new CliFailure("No such file: " + file);
      }
      String digest = RegistryBlobs.digest(file);
      RegistryBlobs.Blob blob =
          dataPlane().blobs().push(repository, file, progress(err(), "Pushing", digest));
      if (blob.existed()) {
        printErr("Blob " + digest + " already exists in " + repository + ".");
      }
      print(result(repository, blob), COLUMNS);
      return 0;
    }
  }

  /** {@code berth acr pull}: downloads a blob by digest, verifying it. */
  @Command(
      name = "pull",
      mixinStandardHelpOptions = true,
      description = "Download a blob of a repository to a file.")
  static final class Pull extends AcrRepositoryCommand.DataPlaneBase {
    @Option(names = "--repository", required = true, description = "Repository name.")
    String repository;

    @Option(names = "--digest", required = true, description = "sha256:<hex>.")
    String digest;

    @Option(names = "--file", required = true, description = "Where to write the blob.")
    Path file;

    Pull(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      if (!digest.matches("sha256:[0-9a-f]{64}")) {
        throw new IllegalArgumentException("invalid --digest '" + digest + "': use sha256:<hex>.");
      }
      RegistryBlobs.Blob blob =
          dataPlane().blobs().pull(repository, digest, file, progress(err(), "Pulling", digest));
      print(result(repository, blob), COLUMNS);
      return 0;
    }
  }
}
