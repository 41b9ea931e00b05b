package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.client.RegistryBlobs;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code docker save} archives as {@code berth acr import} reads them. */
class DockerArchivesTest {

  @TempDir Path dir;

  private Path archive(String layerName, boolean viaLink, String extraName) throws Exception {
    Path file = dir.resolve("image.tar");
    try (OutputStream out = Files.newOutputStream(file);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      add(tar, "abc.tar", "layer bytes");
      if (viaLink) {
        TarArchiveEntry link = new TarArchiveEntry(layerName, TarConstants.LF_SYMLINK);
        link.setLinkName("../abc.tar");
        tar.putArchiveEntry(link);
        tar.closeArchiveEntry();
      }
      add(tar, "cfg.json", "{\"rootfs\":{}}");
      add(tar, extraName, "ignored");
      add(
          tar,
          "manifest.json",
          "[{\"Config\":\"cfg.json\",\"RepoTags\":[\"localhost:5000/team/api:v1\"],"
              + "\"Layers\":[\""
              + layerName
              + "\"]}]");
    }
    return file;
  }

  private static void add(TarArchiveOutputStream tar, String name, String text) throws Exception {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setSize(bytes.length);
    tar.putArchiveEntry(e);
    tar.write(bytes);
    tar.closeArchiveEntry();
  }

  @Test
  void aLayerListedThroughALinkIsReadAndGzippedWithItsDigestInTheManifest() throws Exception {
    Path work = Files.createDirectory(dir.resolve("work"));
    LocalImage image = DockerArchives.read(archive("d1/layer.tar", true, "../../etc/evil"), work);

    JsonNode manifest = LocalImage.JSON.readTree(image.manifests().get(0).bytes());
    assertThat(manifest.path("mediaType").asText()).isEqualTo(DockerArchives.MANIFEST);
    String layer = manifest.at("/layers/0/digest").asText();
    Path gz = image.blobs().get(layer);
    assertThat(RegistryBlobs.digest(gz)).isEqualTo(layer);
    try (var in = new GZIPInputStream(Files.newInputStream(gz))) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("layer bytes");
    }
    assertThat(image.name()).contains("team/api:v1");
    // Entries land as numbered files in the work directory, whatever names the archive gives.
    try (var files = Files.walk(dir)) {
      assertThat(files.filter(p -> p.toString().contains("evil"))).isEmpty();
    }
  }

  @Test
  void aMissingLayerIsNamed() throws Exception {
    Path work = Files.createDirectory(dir.resolve("work"));
    assertThatThrownBy(() -> DockerArchives.read(archive("gone/layer.tar", false, "x"), work))
        .isInstanceOf(CliFailure.class)
        .hasMessageContaining("gone/layer.tar");
  }
}
