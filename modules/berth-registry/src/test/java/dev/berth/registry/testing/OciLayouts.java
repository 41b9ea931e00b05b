package dev.berth.registry.testing;

import dev.berth.registry.blob.Digest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes small images in OCI image-layout form ({@code oci:DIR:tag} for skopeo), for tests that
 * push real images with real clients. Stateless.
 */
public final class OciLayouts {

  private OciLayouts() {}

  /**
   * One entry in the image's single layer: a file (with its mode) or, when {@code linkTarget} is
   * set, a symbolic link.
   */
  public record File(String path, byte[] content, int mode, String linkTarget) {
    public File(String path, byte[] content) {
      this(path, content, 0644, null);
    }

    public static File of(String path, String text) {
      return new File(path, text.getBytes(StandardCharsets.UTF_8));
    }

    public static File executable(String path, byte[] content) {
      return new File(path, content, 0755, null);
    }

    public static File symlink(String path, String target) {
      return new File(path, new byte[0], 0777, target);
    }
  }

  /**
   * A busybox image: the host's static busybox at {@code /bin/busybox}, links for {@code sh},
   * {@code httpd}, {@code wget} and friends, {@code PATH=/bin}, plus {@code files}.
   *
   * @param cmd the image's {@code Cmd}
   * @return the manifest's digest
   */
  public static String busybox(Path layout, String tag, List<File> files, List<String> cmd)
      throws IOException {
    Path busybox = Path.of("/bin/busybox");
    if (!Files.isRegularFile(busybox)) {
      throw new IllegalStateException(
          "/bin/busybox is missing: install the busybox-static package");
    }
    List<File> entries = new ArrayList<>();
    entries.add(File.executable("bin/busybox", Files.readAllBytes(busybox)));
    for (String applet :
        List.of("sh", "ls", "cat", "echo", "sleep", "httpd", "wget", "env", "id", "head", "dd")) {
      entries.add(File.symlink("bin/" + applet, "busybox"));
    }
    entries.addAll(files);
    StringBuilder cmdJson = new StringBuilder("[");
    for (int i = 0; i < cmd.size(); i++) {
      cmdJson
          .append(i == 0 ? "" : ",")
          .append('"')
          .append(cmd.get(i).replace("\"", "\\\""))
          .append('"');
    }
    cmdJson.append(']');
    return write(
        layout,
        tag,
        entries,
        "{\"Env\":[\"PATH=/bin\"],\"Cmd\":" + cmdJson + ",\"WorkingDir\":\"/\"}");
  }

  /**
   * Writes a one-layer linux/amd64 image tagged {@code tag} into {@code layout}.
   *
   * @return the manifest's digest
   */
  public static String write(Path layout, String tag, List<File> files) throws IOException {
    return write(layout, tag, files, "{}");
  }

  /**
   * Writes a one-layer linux/amd64 image with the given {@code config} section (Env, Cmd, …).
   *
   * @return the manifest's digest
   */
  public static String write(Path layout, String tag, List<File> files, String config)
      throws IOException {
    byte[] raw = tar(files);
    byte[] layer = gzip(raw);
    byte[] configBlob =
        ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":"
                + config
                + ",\"rootfs\":{\"type\":\"layers\","
                + "\"diff_ids\":[\""
                + Digest.sha256(raw)
                + "\"]}}")
            .getBytes(StandardCharsets.UTF_8);
    byte[] manifest =
        ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
                + Digest.sha256(configBlob)
                + "\",\"size\":"
                + configBlob.length
                + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\""
                + Digest.sha256(layer)
                + "\",\"size\":"
                + layer.length
                + "}]}")
            .getBytes(StandardCharsets.UTF_8);
    Files.createDirectories(layout.resolve("blobs/sha256"));
    for (byte[] blob : List.of(layer, configBlob, manifest)) {
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
        if (f.linkTarget() != null) {
          TarArchiveEntry link = new TarArchiveEntry(f.path(), TarConstants.LF_SYMLINK);
          link.setLinkName(f.linkTarget());
          tar.putArchiveEntry(link);
          tar.closeArchiveEntry();
          continue;
        }
        TarArchiveEntry entry = new TarArchiveEntry(f.path());
        entry.setSize(f.content().length);
        entry.setMode(0100000 | f.mode());
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
