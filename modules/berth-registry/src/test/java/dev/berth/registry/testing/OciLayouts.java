package dev.berth.registry.testing;

import dev.berth.registry.blob.Digest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes small images in OCI image-layout form ({@code oci:DIR:tag} for skopeo), for tests that
 * push real images with real clients. Stateless.
 */
public final class OciLayouts {

  private OciLayouts() {}

  /** One file in the image's single layer. */
  public record File(String path, byte[] content) {
    public static File of(String path, String text) {
      return new File(path, text.getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * Writes a one-layer linux/amd64 image tagged {@code tag} into {@code layout}.
   *
   * @return the manifest's digest
   */
  public static String write(Path layout, String tag, List<File> files) throws IOException {
    byte[] raw = tar(files);
    byte[] layer = gzip(raw);
    byte[] config =
        ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":\"layers\","
                + "\"diff_ids\":[\""
                + Digest.sha256(raw)
                + "\"]}}")
            .getBytes(StandardCharsets.UTF_8);
    byte[] manifest =
        ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
                + Digest.sha256(config)
                + "\",\"size\":"
                + config.length
                + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\""
                + Digest.sha256(layer)
                + "\",\"size\":"
                + layer.length
                + "}]}")
            .getBytes(StandardCharsets.UTF_8);
    Files.createDirectories(layout.resolve("blobs/sha256"));
    for (byte[] blob : List.of(layer, config, manifest)) {
      Files.write(layout.resolve("blobs/sha256/" + Digest.sha256(blob).hex()), blob);
    }
    Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    Files.writeString(
        layout.resolve("index.json"),
        "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
            + "\"digest\":\""
            + Digest.sha256(manifest)
            + "\",\"size\":"
            + manifest.length
            + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\""
            + tag
            + "\"}}]}");
    return Digest.sha256(manifest).toString();
  }

  private static byte[] tar(List<File> files) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (File f : files) {
        TarArchiveEntry entry = new TarArchiveEntry(f.path());
        entry.setSize(f.content().length);
        entry.setMode(0644);
        tar.putArchiveEntry(entry);
        tar.write(f.content());
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  private static byte[] gzip(byte[] raw) throws IOException {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(raw);
    }
    return gz.toByteArray();
  }
}
