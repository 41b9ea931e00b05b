package dev.berth.registry.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.http.Json;
import dev.berth.registry.blob.Digest;
import dev.berth.registry.testing.OciLayouts;
import dev.berth.testing.Exec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    List<String> command = new ArrayList<>(List.of("skopeo", "--insecure-policy"));
    command.addAll(List.of(args));
    Exec.of(command).timeout(Duration.ofMinutes(2)).run().requireSuccess();
  }

  private static String writeLayout(Path layout) throws Exception {
    return OciLayouts.write(
        layout, "v1", List.of(OciLayouts.File.of("hello.txt", "hello from berth\n")));
  }
}
