package dev.berth.runtime;

import dev.berth.runtime.image.ImageConfig;
import dev.berth.runtime.image.ImageReference;
import dev.berth.runtime.image.PulledImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A one-layer busybox image built by hand from the host's {@code /bin/busybox} (busybox-static),
 * already unpacked: the image {@link ReplicaRuntimeConformance} asks for. Its default process is
 * {@code httpd} serving {@link #INDEX} at {@code :8080/index.html}; it has {@code sh}, {@code
 * echo}, {@code sleep}, {@code cat}, {@code dd}, {@code true} and {@code ls}.
 */
public final class BusyboxImage {

  /** What the image's web server answers at {@code /index.html}. */
  public static final String INDEX = "hello from replica\n";

  private static final List<String> APPLETS =
      List.of("sh", "echo", "sleep", "cat", "httpd", "dd", "true", "ls");

  private BusyboxImage() {}

  /** Builds the image's one layer under {@code dir}. */
  public static PulledImage build(Path dir) throws IOException {
    Path busybox = Path.of("/bin/busybox");
    if (!Files.isExecutable(busybox)) {
      throw new IllegalStateException("/bin/busybox is missing: install busybox-static");
    }
    Path layer = dir.resolve("layer");
    for (String sub : List.of("bin", "dev", "proc", "sys", "tmp", "www", "etc")) {
      Files.createDirectories(layer.resolve(sub));
    }
    Files.copy(busybox, layer.resolve("bin/busybox"));
    for (String applet : APPLETS) {
      Files.createSymbolicLink(layer.resolve("bin").resolve(applet), Path.of("busybox"));
    }
    Files.writeString(layer.resolve("www/index.html"), INDEX);
    Files.writeString(layer.resolve("etc/passwd"), "root:x:0:0:root:/:/bin/sh\nwww:x:33:33::/:\n");
    ImageConfig config =
        new ImageConfig(
            List.of(),
            List.of("httpd", "-f", "-p", "8080", "-h", "/www"),
            List.of("PATH=/bin"),
            "/",
            "",
            List.of("8080/tcp"));
    return new PulledImage(
        ImageReference.parse("localhost:5000/test/busybox:1"),
        "sha256:" + "0".repeat(64),
        config,
        List.of(layer));
  }
}
