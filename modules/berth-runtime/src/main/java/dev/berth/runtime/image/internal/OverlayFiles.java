package dev.berth.runtime.image.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Creates the files Java cannot: overlayfs whiteouts (a 0:0 character device), the opaque-directory
 * mark (xattr {@code trusted.overlay.opaque=y}, which only root may set and {@code
 * UserDefinedFileAttributeView} cannot write) and FIFOs. Runs {@code mknod} (coreutils) and {@code
 * setfattr} (apt package {@code attr}). Both need root. Stateless.
 *
 * @see <a
 *     href="https://docs.kernel.org/filesystems/overlayfs.html#whiteouts-and-opaque-directories">overlayfs
 *     whiteouts and opaque directories</a>
 */
final class OverlayFiles {

  /** Hides {@code path} of the lower layers: a character device with device number 0:0. */
  void whiteout(Path path) throws IOException {
    run(List.of("mknod", path.toString(), "c", "0", "0"), "whiteout " + path, "coreutils");
  }

  /** Hides the lower layers' contents of {@code directory}. */
  void opaque(Path directory) throws IOException {
    run(
        List.of("setfattr", "-n", "trusted.overlay.opaque", "-v", "y", directory.toString()),
        "opaque directory " + directory,
        "attr");
  }

  void fifo(Path path) throws IOException {
    run(List.of("mknod", path.toString(), "p"), "FIFO " + path, "coreutils");
  }

  private static void run(List<String> command, String what, String aptPackage) throws IOException {
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IOException(
          "cannot create "
              + what
              + ": '"
              + command.getFirst()
              + "' is not installed (apt package '"
              + aptPackage
              + "')",
          e);
    }
    try {
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("cannot create " + what + ": " + command.getFirst() + " hung");
      }
      if (process.exitValue() != 0) {
        throw new IOException(
            "cannot create "
                + what
                + " (unpacking layers with whiteouts needs root): "
                + output.strip());
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while creating " + what, e);
    }
  }
}
