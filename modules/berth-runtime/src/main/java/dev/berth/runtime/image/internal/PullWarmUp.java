package dev.berth.runtime.image.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a puller's cold paths once, on a virtual thread, when the puller is made: starts the default
 * HTTP client, reads an image configuration and unpacks a small gzip layer into a temporary
 * directory (then deletes it). The first pull after Berth starts — its first deploy — then does not
 * pay for the HTTP client's start and for loading the classes of a pull (about 0.3 s of a 1 MiB
 * image's first deploy; docs/benchmarks.md, Deploy). Best effort: a failure is logged and changes
 * nothing else. Stateless.
 */
final class PullWarmUp {

  private static final Logger LOG = LoggerFactory.getLogger(PullWarmUp.class);
  private static final String CONFIG =
      "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Env\":[\"PATH=/bin\"],"
          + "\"Cmd\":[\"sh\"],\"WorkingDir\":\"/\",\"ExposedPorts\":{\"80/tcp\":{}}},"
          + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}";

  private PullWarmUp() {}

  static void start(RegistryTransport transport, LayerUnpacker unpacker) {
    Thread.ofVirtual()
        .name("image-pull-warm-up")
        .start(
            () -> {
              Path dir = null;
              try {
                dir = Files.createTempDirectory("berth-pull-warm-up");
                transport.warm(Optional.empty());
                ImageConfigParser.parse(CONFIG.getBytes(StandardCharsets.UTF_8));
                Digests.of(CONFIG.getBytes(StandardCharsets.UTF_8));
                unpacker.unpack(new ByteArrayInputStream(layer()), dir);
              } catch (IOException | RuntimeException e) {
                LOG.debug("the image puller's warm-up failed; the first pull warms it", e);
              } finally {
                try {
                  if (dir != null) {
                    FileTrees.delete(dir);
                  }
                } catch (IOException e) {
                  LOG.debug("cannot delete {}", dir, e);
                }
              }
            });
  }

  /** A gzip layer with a directory and a file, as images have. */
  private static byte[] layer() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
      TarArchiveEntry dir = new TarArchiveEntry("www/");
      dir.setMode(040755);
      tar.putArchiveEntry(dir);
      tar.closeArchiveEntry();
      byte[] content = "hello\n".getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry file = new TarArchiveEntry("www/index.html");
      file.setMode(0100644);
      file.setSize(content.length);
      tar.putArchiveEntry(file);
      tar.write(content);
      tar.closeArchiveEntry();
    }
    return bytes.toByteArray();
  }
}
