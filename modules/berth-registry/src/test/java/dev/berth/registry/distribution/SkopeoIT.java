package dev.berth.registry.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.http.Json;
import dev.berth.registry.blob.Digest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * skopeo, a real registry client, copies an OCI image layout into the plain-HTTP test registry and
 * back out, and the manifest and layer digests survive the round trip.
 */
class SkopeoIT {

  @TempDir Path dir;

  @Test
  void skopeoCopiesAnImageInAndOutWithItsDigestsIntact() throws Exception {
    if (!Files.isExecutable(Path.of("/usr/bin/skopeo"))) {
      fail("skopeo is not installed (apt-get install skopeo): SkopeoIT needs it");
    }
    Path layout = dir.resolve("in");
    String manifestDigest = writeLayout(layout);
    try (RegistryServer server = new RegistryServer(dir.resolve("registry"))) {
      String remote = "docker://127.0.0.1:" + server.port() + "/team/hello:v1";
      skopeo("copy", "--dest-tls-verify=false", "oci:" + layout + ":v1", remote);
      Path out = dir.resolve("out");
      skopeo("copy", "--src-tls-verify=false", remote, "oci:" + out + ":v1");
      JsonNode index = Json.parse(Files.readAllBytes(out.resolve("index.json")));
      assertThat(index.path("manifests").get(0).path("digest").asText()).isEqualTo(manifestDigest);
      Digest d = Digest.parse(manifestDigest);
      byte[] manifest = Files.readAllBytes(out.resolve("blobs/sha256/" + d.hex()));
      assertThat(Digest.sha256(manifest)).isEqualTo(d);
      for (JsonNode layer : Json.parse(manifest).path("layers")) {
        Digest l = Digest.parse(layer.path("digest").asText());
        assertThat(Digest.sha256(Files.readAllBytes(out.resolve("blobs/sha256/" + l.hex()))))
            .isEqualTo(l);
      }
    }
  }

  private static void skopeo(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("skopeo", "--insecure-policy"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("skopeo %s:%n%s", command, output).isZero();
  }

  /** Writes a one-layer image in OCI layout tagged v1; the manifest's digest. */
  private static String writeLayout(Path layout) throws Exception {
    Path src = layout.resolveSibling("rootfs");
    Files.createDirectories(src);
    Files.writeString(src.resolve("hello.txt"), "hello from berth\n");
    Path tar = layout.resolveSibling("layer.tar");
    Process p =
        new ProcessBuilder("tar", "cf", tar.toString(), "-C", src.toString(), "hello.txt")
            .inheritIO()
            .start();
    assertThat(p.waitFor()).isZero();
    byte[] raw = Files.readAllBytes(tar);
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(raw);
    }
    byte[] layer = gz.toByteArray();
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
                + "},\"layers\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\""
                + Digest.sha256(layer)
                + "\",\"size\":"
                + layer.length
                + "}]}")
            .getBytes(StandardCharsets.UTF_8);
    Files.createDirectories(layout.resolve("blobs/sha256"));
    for (byte[] blob : List.of(layer, config, manifest)) {
      write(layout.resolve("blobs/sha256/" + Digest.sha256(blob).hex()), blob);
    }
    Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    Files.writeString(
        layout.resolve("index.json"),
        "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
            + "\"digest\":\""
            + Digest.sha256(manifest)
            + "\",\"size\":"
            + manifest.length
            + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"v1\"}}]}");
    return Digest.sha256(manifest).toString();
  }

  private static void write(Path file, byte[] bytes) throws IOException {
    Files.write(file, bytes);
  }
}
