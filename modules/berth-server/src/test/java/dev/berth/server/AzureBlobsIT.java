package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.common.StorageSharedKeyCredential;
import dev.berth.registry.blob.BlobStores;
import dev.berth.registry.testing.Azurite;
import dev.berth.registry.testing.OciLayouts;
import dev.berth.testing.Exec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code berth up --blobs azure-blob:…}: what skopeo pushes lands in the Azure Blob Storage
 * container (Azurite), not in the data directory, and pulls back whole, also after a restart.
 */
class AzureBlobsIT {

  @Test
  void pushedBlobsLiveInTheContainerAndPullBackAfterARestart(
      @TempDir Path dataDir, @TempDir Path work) throws Exception {
    Path layout = work.resolve("layout");
    OciLayouts.write(layout, "v1", List.of(OciLayouts.File.of("hello.txt", "hello\n")));
    try (Azurite azurite = Azurite.start()) {
      String location = BlobStores.AZURE_BLOB + ":" + azurite.containerUrl("berth");
      int port = BerthProcess.freePort();
      List<String> up = up(dataDir, port, "--blobs", location);
      Map<String, String> env = Map.of(BlobStores.AZURE_STORAGE_KEY, Azurite.KEY);
      String server;
      String admin;
      try (BerthProcess berth = BerthProcess.start(up, env)) {
        assertThat(berth.output())
            .anySatisfy(l -> assertThat(l).contains("Registry blobs:   " + location));
        RegistryFixture acr = fixture(dataDir);
        String id = acr.createRegistry("blob-rg", "blobacr", "{\"adminUserEnabled\":true}");
        server = acr.loginServer(id);
        admin = "blobacr:" + acr.adminPassword(id);
        Exec.Result push = acr.push(layout, server, admin, "web:v1");
        assertThat(push.exit()).as(push.output()).isZero();
        assertThat(pull(acr, server, admin, work.resolve("first")).exit()).isZero();
      }

      // Every blob of the image is in the container; none in the data directory.
      List<String> names =
          container(azurite, "berth").listBlobs().stream().map(BlobItem::getName).toList();
      List<String> layoutBlobs;
      try (Stream<Path> files = Files.list(layout.resolve("blobs/sha256"))) {
        layoutBlobs = files.map(p -> "blobs/sha256/" + p.getFileName()).toList();
      }
      assertThat(names).containsAll(layoutBlobs);
      try (Stream<Path> files = Files.walk(dataDir)) {
        assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
            .noneMatch(f -> layoutBlobs.stream().anyMatch(b -> b.endsWith("/" + f)));
      }

      try (BerthProcess berth = BerthProcess.start(up, env)) {
        RegistryFixture acr = fixture(dataDir);
        Exec.Result again = pull(acr, server, admin, work.resolve("again"));
        assertThat(again.exit()).as(again.output()).isZero();

        // The storage goes away: a blob GET is 503 UNAVAILABLE, in the registry's envelope.
        String layer = firstLayer(layout);
        azurite.close();
        RegistryFixture.Answer down = acr.attemptBlob(server, admin, "web", layer);
        assertThat(down.status()).as(down.body()).isEqualTo(503);
        assertThat(down.code()).isEqualTo("UNAVAILABLE");
        assertThat(berth.output()).noneMatch(l -> l.contains(":ERROR:")); // one WARN line, no trace
      }
    }
  }

  @Test
  void aBerthMovesItsBlobsToAzureWithBlobsCopyAndIsRefusedBefore(
      @TempDir Path dataDir, @TempDir Path work) throws Exception {
    Path layout = work.resolve("layout");
    OciLayouts.write(layout, "v1", List.of(OciLayouts.File.of("moved.txt", "moved\n")));
    try (Azurite azurite = Azurite.start()) {
      String location = BlobStores.AZURE_BLOB + ":" + azurite.containerUrl("moved");
      Map<String, String> env = Map.of(BlobStores.AZURE_STORAGE_KEY, Azurite.KEY);
      int port = BerthProcess.freePort();
      List<String> up = up(dataDir, port);
      List<String> upOnAzure = up(dataDir, port, "--blobs", location);
      String server;
      String admin;
      try (BerthProcess berth = BerthProcess.start(up, env)) {
        RegistryFixture acr = fixture(dataDir);
        String id = acr.createRegistry("move-rg", "moveacr", "{\"adminUserEnabled\":true}");
        server = acr.loginServer(id);
        admin = "moveacr:" + acr.adminPassword(id);
        Exec.Result push = acr.push(layout, server, admin, "web:v1");
        assertThat(push.exit()).as(push.output()).isZero();
      }

      // Its repositories' blobs are on disk: a start on Azure would serve none of them.
      try (BerthProcess refused = BerthProcess.spawn(upOnAzure, env)) {
        assertThat(refused.exitCode(Duration.ofSeconds(60))).isEqualTo(1);
        assertThat(String.join("\n", refused.output()))
            .contains("keep their blobs in the data directory")
            .contains("bin/berth blobs copy --to '" + location + "'");
      }

      try (BerthProcess copy =
          BerthProcess.spawn(
              List.of(
                  "blobs",
                  "copy",
                  "--to",
                  location,
                  "--data-dir",
                  dataDir.toString(),
                  "--delete-source"),
              env)) {
        assertThat(copy.exitCode(Duration.ofSeconds(60))).as(copy.output().toString()).isZero();
        assertThat(String.join("\n", copy.output()))
            .contains("Copied 3 blobs (0 were there already)")
            .contains("and deleted 3 there")
            .contains("up --blobs '" + location + "'");
      }
      assertThat(container(azurite, "moved").listBlobs().stream().map(BlobItem::getName))
          .hasSize(3);
      try (Stream<Path> left = Files.walk(dataDir.resolve("registry/blobs"))) {
        assertThat(left.filter(Files::isRegularFile)).isEmpty();
      }

      try (BerthProcess berth = BerthProcess.start(upOnAzure, env)) {
        Exec.Result pull = pull(fixture(dataDir), server, admin, work.resolve("pulled"));
        assertThat(pull.exit()).as(pull.output()).isZero();
      }
      // And now the other way round: the data directory is not where they are any more.
      try (BerthProcess refused = BerthProcess.spawn(up, env)) {
        assertThat(refused.exitCode(Duration.ofSeconds(60))).isEqualTo(1);
        assertThat(String.join("\n", refused.output()))
            .contains("keep their blobs in " + location)
            .contains("Start Berth with --blobs '" + location + "'");
      }
    }
  }

  /** {@code berth up} on {@code dataDir} and {@code port}, without replicas, and {@code more}. */
  private static List<String> up(Path dataDir, int port, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "up",
                "--data-dir",
                dataDir.toString(),
                "--port",
                Integer.toString(port),
                "--runtime",
                "none"));
    args.addAll(List.of(more));
    return args;
  }

  /** The digest of the first layer of the layout's one image. */
  private static String firstLayer(Path layout) throws Exception {
    String manifest =
        Https.JSON
            .readTree(Files.readString(layout.resolve("index.json")))
            .at("/manifests/0/digest")
            .asText();
    return Https.JSON
        .readTree(Files.readString(layout.resolve("blobs/sha256/" + manifest.substring(7))))
        .at("/layers/0/digest")
        .asText();
  }

  private static RegistryFixture fixture(Path dataDir) throws Exception {
    BootstrapInfo b =
        Https.JSON.readValue(
            Files.readString(dataDir.resolve("bootstrap.json")), BootstrapInfo.class);
    return new RegistryFixture(b, dataDir.resolve("tls/ca.pem"), dataDir);
  }

  /** skopeo copies the image back, every blob of it, into an OCI layout. */
  private static Exec.Result pull(RegistryFixture acr, String server, String creds, Path into)
      throws Exception {
    return acr.skopeo(
        "copy",
        "--src-cert-dir",
        acr.certDir.toString(),
        "--src-creds",
        creds,
        "docker://" + server + "/web:v1",
        "oci:" + into + ":v1");
  }

  private static BlobContainerClient container(Azurite azurite, String name) {
    return new BlobContainerClientBuilder()
        .endpoint(azurite.containerUrl(name))
        .credential(new StorageSharedKeyCredential(Azurite.ACCOUNT, Azurite.KEY))
        .buildClient();
  }
}
