package dev.berth.registry.distribution;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.acr.AcrDocuments;
import dev.berth.http.Json;
import dev.berth.registry.blob.BlobPaths;
import dev.berth.registry.blob.Digest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry name is unique only while its registry lives: a registry created again under a deleted
 * one's name must not see its repositories, and the deleted one's content must go. Over real HTTP,
 * with the registry read from its ARM document at every request.
 */
class DeletedRegistryTest {

  private static final String OCI = "application/vnd.oci.image.manifest.v1+json";

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();
  private RegistryServer server;
  private BlobPaths paths;

  /** One pushed image: its blobs and its manifest. */
  private record Image(Digest config, Digest layer, Digest manifest) {}

  @BeforeEach
  void start() throws Exception {
    server = new RegistryServer(dir);
    paths = new BlobPaths(dir);
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private HttpResponse<byte[]> call(String method, String path, byte[] body, String... headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(server.base() + path))
            .method(
                method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofByteArray(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), BodyHandlers.ofByteArray());
  }

  private HttpResponse<byte[]> get(String path) throws Exception {
    return call("GET", path, null, "Accept", OCI);
  }

  private static JsonNode json(HttpResponse<byte[]> r) throws Exception {
    return Json.parse(r.body());
  }

  private static String error(HttpResponse<byte[]> r) throws Exception {
    return json(r).at("/errors/0/code").asText();
  }

  private Digest pushBlob(String repo, String content) throws Exception {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    Digest d = Digest.sha256(bytes);
    var r = call("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + d, bytes);
    assertThat(r.statusCode()).isEqualTo(201);
    return d;
  }

  private Image push(String repo, String tag, String config, String layer) throws Exception {
    Digest c = pushBlob(repo, config);
    Digest l = pushBlob(repo, layer);
    String m =
        "{\"schemaVersion\":2,\"mediaType\":\""
            + OCI
            + "\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\","
            + "\"digest\":\""
            + c
            + "\",\"size\":"
            + config.length()
            + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\","
            + "\"digest\":\""
            + l
            + "\",\"size\":"
            + layer.length()
            + "}]}";
    var put =
        call(
            "PUT",
            "/v2/" + repo + "/manifests/" + tag,
            m.getBytes(StandardCharsets.UTF_8),
            "Content-Type",
            OCI);
    assertThat(put.statusCode()).as(new String(put.body(), UTF_8)).isEqualTo(201);
    return new Image(
        c, l, Digest.parse(put.headers().firstValue("Docker-Content-Digest").orElseThrow()));
  }

  /** The registry deleted through ARM and created again under its name, by another tenant. */
  private String recreate() {
    server.deleteDocument();
    String key = AcrDocuments.newStorageKey("myacr");
    server.create(Optional.of(key));
    return key;
  }

  private List<String> catalog(String path) throws Exception {
    var r = get(path);
    assertThat(r.statusCode()).isEqualTo(200);
    return Json.MAPPER.convertValue(
        json(r).path("repositories"),
        Json.MAPPER.getTypeFactory().constructCollectionType(List.class, String.class));
  }

  @Test
  void aRegistryCreatedAgainUnderTheSameNameSeesNoneOfTheDeletedOnesContent() throws Exception {
    String oldKey = server.registry().storageKey();
    assertThat(oldKey).matches("myacr-[0-9a-f]{32}");
    Image old = push("team/app", "v1", "config of A", "layer of A");
    assertThat(catalog("/v2/_catalog")).containsExactly("team/app");

    // Not even the content port runs: the new instance's key alone keeps it apart.
    String newKey = recreate();
    assertThat(newKey).isNotEqualTo(oldKey);
    assertThat(server.registry().storageKey()).isEqualTo(newKey);

    assertThat(catalog("/v2/_catalog")).isEmpty();
    assertThat(catalog("/acr/v1/_catalog")).isEmpty();
    var tags = get("/v2/team/app/tags/list");
    assertThat(tags.statusCode()).isEqualTo(404);
    assertThat(error(tags)).isEqualTo("NAME_UNKNOWN");
    var byTag = get("/v2/team/app/manifests/v1");
    assertThat(byTag.statusCode()).isEqualTo(404);
    assertThat(error(byTag)).isIn("NAME_UNKNOWN", "MANIFEST_UNKNOWN");
    var byDigest = get("/v2/team/app/manifests/" + old.manifest());
    assertThat(byDigest.statusCode()).isEqualTo(404);
    assertThat(error(byDigest)).isIn("NAME_UNKNOWN", "MANIFEST_UNKNOWN");
    var blob = get("/v2/team/app/blobs/" + old.layer());
    assertThat(blob.statusCode()).isEqualTo(404);
    assertThat(error(blob)).isIn("NAME_UNKNOWN", "BLOB_UNKNOWN");
    var repo = get("/acr/v1/team/app");
    assertThat(repo.statusCode()).isEqualTo(404);
    assertThat(error(repo)).isEqualTo("NAME_UNKNOWN");
    assertThat(get("/acr/v1/team/app/_tags").statusCode()).isEqualTo(404);
    // A mount from the old repository is not a way in either: it falls back to an upload.
    var mount =
        call("POST", "/v2/mine/blobs/uploads/?mount=" + old.layer() + "&from=team/app", null);
    assertThat(mount.statusCode()).isEqualTo(202);

    // Its own pushes land in its own storage.
    push("team/app", "v2", "config of B", "layer of B");
    assertThat(catalog("/v2/_catalog")).containsExactly("team/app");
    assertThat(json(get("/v2/team/app/tags/list")).path("tags").toString()).isEqualTo("[\"v2\"]");
    assertThat(paths.repositories(newKey).resolve("team/app")).isDirectory();
  }

  @Test
  void theGarbageCollectorRemovesADeletedRegistrysRepositoriesAndThenItsBlobs() throws Exception {
    String oldKey = server.registry().storageKey();
    Image old = push("app", "v1", "config of A", "shared layer");
    recreate();
    Image kept = push("app", "v1", "config of B", "shared layer");
    assertThat(kept.layer()).isEqualTo(old.layer());
    // What a delete that failed part-way set aside is removed too.
    Path aside = paths.registries().resolve(".deleted-leftover/repositories/x/_layers");
    Files.createDirectories(aside);

    GarbageCollector.Report report = server.garbageCollector().collect(Duration.ZERO);

    assertThat(report.registriesDeleted()).isEqualTo(2);
    assertThat(paths.registries().resolve(oldKey)).doesNotExist();
    assertThat(paths.registries().resolve(".deleted-leftover")).doesNotExist();
    assertThat(paths.blob(old.config())).doesNotExist();
    assertThat(paths.blob(old.manifest())).doesNotExist();
    assertThat(report.blobsDeleted()).isEqualTo(2);
    // The live registry keeps everything, the layer it shares with the deleted one included.
    assertThat(paths.blob(old.layer())).exists();
    assertThat(get("/v2/app/manifests/v1").statusCode()).isEqualTo(200);
    assertThat(get("/v2/app/blobs/" + kept.layer()).statusCode()).isEqualTo(200);
    assertThat(get("/v2/app/blobs/" + kept.config()).statusCode()).isEqualTo(200);
    assertThat(server.garbageCollector().collect(Duration.ZERO).registriesDeleted()).isZero();
  }

  @Test
  void deletingARegistrysContentRemovesItAtOnceAndItsBlobsAtTheNextCollection() throws Exception {
    String key = server.registry().storageKey();
    Image image = push("app", "v1", "config", "layer");
    MetadataStore metadata = MetadataStore.open(dir);

    // What the server's content port does when ARM deletes the registry; twice is harmless.
    assertThat(metadata.deleteRegistry(key)).isTrue();
    assertThat(metadata.deleteRegistry(key)).isFalse();
    assertThat(paths.registries().resolve(key)).doesNotExist();
    assertThat(paths.registries()).isEmptyDirectory();
    server.deleteDocument();

    GarbageCollector.Report report = server.garbageCollector().collect(Duration.ZERO);
    assertThat(report.manifests()).isZero();
    assertThat(report.blobsDeleted()).isEqualTo(3);
    assertThat(paths.blob(image.layer())).doesNotExist();
  }

  @Test
  void aRegistryCreatedBeforeStorageKeysKeepsItsRepositoriesUnderItsName() throws Exception {
    server.deleteDocument();
    server.create(Optional.empty());
    assertThat(server.registry().storageKey()).isEqualTo("myacr");
    push("app", "v1", "config", "layer");
    assertThat(paths.repositories("myacr").resolve("app")).isDirectory();

    // A collection keeps them: the key, its name, belongs to a registry that exists.
    assertThat(server.garbageCollector().collect(Duration.ZERO).registriesDeleted()).isZero();
    assertThat(get("/v2/app/manifests/v1").statusCode()).isEqualTo(200);

    // Created again, the name's registry is a new instance with a key of its own.
    recreate();
    assertThat(catalog("/v2/_catalog")).isEmpty();
  }
}
