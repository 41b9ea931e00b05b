package dev.berth.runtime.image.internal;

import dev.berth.runtime.image.PullException;
import dev.berth.runtime.image.PullException.Step;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
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
 * Runs a puller's cold paths once, on a virtual thread, when the puller is made (and, through
 * {@link #request}, a first TLS handshake once the server knows an endpoint to shake hands with):
 * starts the default HTTP client, reads an image configuration and unpacks a small gzip layer into
 * a temporary directory (then deletes it). The first pull after Berth starts — its first deploy —
 * then does not pay for the HTTP client's start, the first handshake, loading the classes of a pull
 * and running its loops in the interpreter (docs/benchmarks.md, Deploy). Best effort: a failure is
 * logged and changes nothing else. Stateless.
 */
final class PullWarmUp {

  private static final Logger LOG = LoggerFactory.getLogger(PullWarmUp.class);
  private static final int WARM_BYTES = 512 * 1024;
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
                // Enough bytes for the JIT to compile the hash's and the unpack's loops: the
                // interpreter took 46 ms to hash the first MiB a cold JVM saw.
                Digests.of(new byte[WARM_BYTES]);
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

  /** Sends one GET to {@code endpoint} on a virtual thread: the TLS client's first handshake. */
  static void request(RegistryTransport transport, URI endpoint) {
    Thread.ofVirtual()
        .name("image-pull-warm-up-tls")
        .start(
            () -> {
              try (RegistryTransport.Answer answer =
                  transport.send(Optional.empty(), Step.PING, "GET", endpoint, r -> {})) {
                answer.body().readAllBytes();
              } catch (PullException | IOException | RuntimeException e) {
                LOG.debug("the image puller's TLS warm-up against {} failed", endpoint, e);
              }
            });
  }

  /** A gzip layer with a directory and a file of zeros. */
  private static byte[] layer() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
      TarArchiveEntry dir = new TarArchiveEntry("www/");
      dir.setMode(040755);
      tar.putArchiveEntry(dir);
      tar.closeArchiveEntry();
      byte[] content = new byte[WARM_BYTES]; // zeros: a few hundred bytes once compressed
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
