package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.ResourceId;
import dev.berth.registry.blob.Digest;
import dev.berth.server.StormRegistryClient.Image;
import dev.berth.store.Query;
import dev.berth.store.ResourceStore;
import dev.berth.store.ResourceStores;
import dev.berth.store.StoredResource;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;

/**
 * What a crash storm checks after each restart: no operation or resource left in flight, every
 * acknowledged ARM write readable, every acknowledged operation ended Succeeded, every acknowledged
 * image pullable with intact bytes, every deleted thing gone, every blob on disk hashing to its
 * name. Not thread-safe.
 */
final class StormChecks {

  static final String GROUP_API = "?api-version=2021-04-01";
  static final String REGISTRY_API = "?api-version=2023-07-01";
  static final String IDENTITY_API = "?api-version=2023-01-31";
  private static final List<String> NAMESPACES =
      List.of(
          "Microsoft.Resources",
          "Microsoft.ContainerRegistry",
          "Microsoft.ManagedIdentity",
          "Microsoft.App");
  private static final List<String> LONG_RUNNING =
      List.of(
          ResourceId.RESOURCE_GROUP_TYPE,
          "Microsoft.ContainerRegistry/registries",
          "Microsoft.App/managedEnvironments",
          "Microsoft.App/containerApps");

  private final Path dataDir;

  StormChecks(Path dataDir) {
    this.dataDir = dataDir;
  }

  /** What is still in flight in the store: operations InProgress, resources InProgress/Deleting. */
  List<String> inFlight() {
    List<String> found = new ArrayList<>();
    try (ResourceStore store = ResourceStores.open("sqlite:" + dataDir.resolve("berth.db"))) {
      for (String ns : NAMESPACES) {
        Query q = Query.descendants(ResourceId.root(), ns + "/locations/operationStatuses");
        store.stream(q.limit(500))
            .filter(op -> "InProgress".equals(op.body().path("status").asText()))
            .forEach(op -> found.add(op.id() + " -> " + op.body().path("resourceId").asText()));
      }
      for (String type : LONG_RUNNING) {
        for (StoredResource doc :
            (Iterable<StoredResource>)
                store.stream(Query.descendants(ResourceId.root(), type).limit(500))::iterator) {
          String state = doc.body().path("properties").path("provisioningState").asText();
          if (state.equals("InProgress") || state.equals("Deleting")) {
            found.add(doc.id() + " is " + state);
          }
        }
      }
    }
    return found;
  }

  /** Waits until nothing is in flight; how long that took. */
  Duration awaitRecovered(Duration atMost) {
    long start = System.nanoTime();
    List<String> last = new ArrayList<>();
    try {
      await()
          .atMost(atMost)
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                last.clear();
                last.addAll(inFlight());
                return last.isEmpty();
              });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("still in flight after " + atMost + ": " + last, e);
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /** Every acknowledged ARM write is readable; every acknowledged delete is done. */
  void armWrites(StormLedger ledger, Https https, String token) throws Exception {
    for (var g : ledger.groups.entrySet()) {
      var r = https.send("GET", g.getKey() + GROUP_API, token, null);
      if (ledger.deletedGroups.contains(g.getKey())) {
        assertThat(r.statusCode()).as("deleted " + g.getKey()).isEqualTo(404);
      } else if (ledger.deleteSent.contains(g.getKey()) && r.statusCode() == 404) {
        // Its DELETE was accepted, and the kill came before the 202 reached the client.
        continue;
      } else {
        assertThat(r.statusCode()).as(g.getKey() + ": " + r.body()).isEqualTo(200);
        assertThat(Https.json(r).path("tags").path("n").asInt()).isEqualTo(g.getValue());
      }
    }
    for (var i : ledger.identities.entrySet()) {
      var r = https.send("GET", i.getKey() + IDENTITY_API, token, null);
      if (ledger.deleteSent.contains(i.getValue())
          && !ledger.deletedGroups.contains(i.getValue())) {
        assertThat(r.statusCode()).as(i.getKey() + ": " + r.body()).isIn(200, 404);
        continue;
      }
      assertThat(r.statusCode())
          .as(i.getKey() + ": " + r.body())
          .isEqualTo(ledger.deletedGroups.contains(i.getValue()) ? 404 : 200);
    }
    for (var reg : ledger.registryTags.entrySet()) {
      var r = https.send("GET", reg.getKey() + REGISTRY_API, token, null);
      assertThat(r.statusCode()).isEqualTo(200);
      JsonNode doc = Https.json(r);
      assertThat(doc.path("tags").path("n").asInt())
          .as("acknowledged PATCH of " + reg.getKey())
          .isGreaterThanOrEqualTo(reg.getValue());
      assertThat(doc.at("/properties/provisioningState").asText()).isEqualTo("Succeeded");
    }
  }

  /** Every acknowledged long-running operation ended, and ended well. */
  void operations(StormLedger ledger, Https https, String token) throws Exception {
    for (String op : ledger.operations) {
      JsonNode status = Https.json(https.send("GET", op, token, null));
      assertThat(status.path("status").asText()).as(op + ": " + status).isEqualTo("Succeeded");
    }
  }

  /** Every acknowledged image pulls whole; every image of a deleted repository is gone. */
  int images(StormLedger ledger, StormRegistryClient registry) throws Exception {
    int blobs = 0;
    for (Image image : ledger.images.values()) {
      String token = registry.token(image.repository());
      var m = registry.getManifest(token, image.repository(), image.tag());
      if (ledger.deletedRepositories.contains(image.repository())) {
        assertThat(m.statusCode()).as("deleted " + image.repository()).isEqualTo(404);
        continue;
      }
      if (m.statusCode() == 404 && ledger.repositoryDeleteSent.contains(image.repository())) {
        continue; // the delete was accepted, and the kill came before its 202 reached the client
      }
      assertThat(m.statusCode()).as(image.repository() + ":" + image.tag()).isEqualTo(200);
      assertThat(Digest.sha256(m.body())).isEqualTo(image.manifest());
      for (Digest blob : image.blobs()) {
        assertThat(registry.getBlob(token, image.repository(), blob))
            .as(blob + " of " + image.repository())
            .isEqualTo(200);
        blobs++;
      }
    }
    return blobs;
  }

  /** Every blob file re-hashes to the digest it is named by; how many there are. */
  int blobsOnDisk() throws Exception {
    Path root = dataDir.resolve("registry/blobs");
    if (!Files.isDirectory(root)) {
      return 0;
    }
    int count = 0;
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String algorithm = root.relativize(file).getName(0).toString();
        MessageDigest md =
            MessageDigest.getInstance(algorithm.equals("sha512") ? "SHA-512" : "SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
          byte[] buffer = new byte[1 << 16];
          int n;
          while ((n = in.read(buffer)) > 0) {
            md.update(buffer, 0, n);
          }
        } catch (NoSuchFileException e) {
          continue; // collected as garbage since it was listed
        }
        assertThat(HexFormat.of().formatHex(md.digest()))
            .as("bytes of " + file)
            .isEqualTo(file.getFileName().toString());
        count++;
      }
    }
    return count;
  }
}
