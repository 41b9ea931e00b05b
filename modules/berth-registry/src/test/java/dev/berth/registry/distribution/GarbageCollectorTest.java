package dev.berth.registry.distribution;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.http.Json;
import dev.berth.registry.blob.BlobInfo;
import dev.berth.registry.blob.BlobPaths;
import dev.berth.registry.blob.BlobReader;
import dev.berth.registry.blob.BlobStore;
import dev.berth.registry.blob.BlobStores;
import dev.berth.registry.blob.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Registry garbage collection over real HTTP: what deleting frees, what the grace period keeps, and
 * the races with pushes running beside a sweep, each made to happen at a chosen point by a probe in
 * the blob store.
 */
class GarbageCollectorTest {

  private static final String OCI = "application/vnd.oci.image.manifest.v1+json";
  private static final Duration HOUR = Duration.ofHours(1);

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();
  private final Probes probes = new Probes();
  private RegistryServer server;

  /** Code the probed store runs at chosen points of a collection; no-ops by default. */
  static final class Probes {
    volatile Runnable beforeListing = () -> {};
    volatile Consumer<Digest> afterDelete = d -> {};
    volatile Consumer<Digest> afterRetain = d -> {};
  }

  private RegistryServer server() throws Exception {
    if (server == null) {
      server = new RegistryServer(dir, blobs -> new ProbedStore(blobs, probes));
    }
    return server;
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private HttpResponse<byte[]> call(String method, String path, byte[] body, String... headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(server().base() + path))
            .method(
                method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofByteArray(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), BodyHandlers.ofByteArray());
  }

  private Digest pushBlob(String repo, String content) throws Exception {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    Digest d = Digest.sha256(bytes);
    var r = call("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + d, bytes);
    assertThat(r.statusCode()).isEqualTo(201);
    return d;
  }

  /** PUTs a manifest naming these config and layer blobs; the response. */
  private HttpResponse<byte[]> pushManifest(String repo, String tag, Digest config, Digest layer)
      throws Exception {
    String m =
        "{\"schemaVersion\":2,\"mediaType\":\""
            + OCI
            + "\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\","
            + "\"digest\":\""
            + config
            + "\",\"size\":"
            + size(config)
            + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\","
            + "\"digest\":\""
            + layer
            + "\",\"size\":"
            + size(layer)
            + "}]}";
    return call(
        "PUT",
        "/v2/" + repo + "/manifests/" + tag,
        m.getBytes(StandardCharsets.UTF_8),
        "Content-Type",
        OCI);
  }

  private long size(Digest d) throws IOException {
    Path blob = blob(d);
    return Files.exists(blob) ? Files.size(blob) : 1;
  }

  private Digest manifestDigest(HttpResponse<byte[]> put) {
    assertThat(put.statusCode()).as(new String(put.body(), UTF_8)).isEqualTo(201);
    return Digest.parse(put.headers().firstValue("Docker-Content-Digest").orElseThrow());
  }

  private Path blob(Digest d) {
    return new BlobPaths(dir).blob(d);
  }

  /** Makes every stored blob look unused for two hours. */
  private void ageEverything() throws IOException {
    FileTime old = FileTime.from(Instant.now().minus(Duration.ofHours(2)));
    for (Digest d : BlobStoreAccess.digests(dir)) {
      Files.setLastModifiedTime(blob(d), old);
    }
  }

  private GarbageCollector.Report collect(Duration grace) throws Exception {
    return server().garbageCollector().collect(grace);
  }

  @Test
  void deletingARepositoryFreesItsBlobsOnceTheGracePeriodHasPassed() throws Exception {
    Digest shared = pushBlob("team/a", "shared layer");
    pushBlob("team/b", "shared layer");
    Digest configA = pushBlob("team/a", "config a");
    Digest configB = pushBlob("team/b", "config b");
    Digest manifestA = manifestDigest(pushManifest("team/a", "v1", configA, shared));
    manifestDigest(pushManifest("team/b", "v1", configB, shared));
    assertThat(call("DELETE", "/acr/v1/team/a", null).statusCode()).isEqualTo(202);

    GarbageCollector.Report young = collect(HOUR);
    assertThat(young.blobsDeleted()).isZero();
    assertThat(young.unreferencedKept()).isEqualTo(2);

    ageEverything();
    long manifestSize = Files.size(blob(manifestA));
    GarbageCollector.Report report = collect(HOUR);
    assertThat(report.manifests()).isEqualTo(1);
    assertThat(report.blobsDeleted()).isEqualTo(2);
    assertThat(report.bytesFreed()).isEqualTo("config a".length() + manifestSize);
    assertThat(blob(configA)).doesNotExist();
    assertThat(blob(manifestA)).doesNotExist();
    assertThat(blob(shared)).exists();
    assertThat(call("GET", "/v2/team/b/manifests/v1", null).statusCode()).isEqualTo(200);
    assertThat(call("GET", "/v2/team/b/blobs/" + shared, null).statusCode()).isEqualTo(200);
    assertThat(call("GET", "/v2/team/b/blobs/" + configB, null).statusCode()).isEqualTo(200);
  }

  @Test
  void deletingAManifestFreesItsBlobsAndUntaggingKeepsThem() throws Exception {
    Digest config = pushBlob("app", "config");
    Digest layer = pushBlob("app", "layer");
    Digest manifest = manifestDigest(pushManifest("app", "v1", config, layer));
    assertThat(call("DELETE", "/v2/app/manifests/v1", null).statusCode()).isEqualTo(202);
    ageEverything();
    // An untagged manifest stays pullable by digest (as on ACR), so its blobs stay.
    assertThat(collect(HOUR).blobsDeleted()).isZero();
    assertThat(call("GET", "/v2/app/manifests/" + manifest, null).statusCode()).isEqualTo(200);

    assertThat(call("DELETE", "/v2/app/manifests/" + manifest, null).statusCode()).isEqualTo(202);
    assertThat(collect(HOUR).blobsDeleted()).isEqualTo(3);
    assertThat(blob(config)).doesNotExist();
    assertThat(blob(layer)).doesNotExist();
    assertThat(blob(manifest)).doesNotExist();
    // The repository's links remain; what they named answers 404, not a broken read.
    var get = call("GET", "/v2/app/blobs/" + layer, null);
    assertThat(get.statusCode()).isEqualTo(404);
    assertThat(Json.parse(get.body()).at("/errors/0/code").asText()).isEqualTo("BLOB_UNKNOWN");
  }

  @Test
  void aBlobPushedButNotYetReferencedSurvivesTheGracePeriodOnly() throws Exception {
    Digest pending = pushBlob("app", "layer waiting for its manifest");
    assertThat(collect(HOUR).blobsDeleted()).isZero();
    assertThat(blob(pending)).exists();
    ageEverything();
    assertThat(collect(HOUR).blobsDeleted()).isEqualTo(1);
    assertThat(blob(pending)).doesNotExist();
  }

  @Test
  void aBlobUploadedDuringASweepSurvivesIt() throws Exception {
    Digest garbage = pushBlob("app", "old garbage");
    ageEverything();
    Digest[] uploaded = new Digest[1];
    probes.beforeListing = () -> uploaded[0] = unchecked(() -> pushBlob("app", "new layer"));
    // No grace at all: only being newer than the collection's start keeps the new blob.
    GarbageCollector.Report report = collect(Duration.ZERO);
    assertThat(report.blobsDeleted()).isEqualTo(1);
    assertThat(blob(garbage)).doesNotExist();
    assertThat(blob(uploaded[0])).exists();
  }

  @Test
  void aManifestPushedDuringASweepKeepsTheOldBlobsItNames() throws Exception {
    Digest config = pushBlob("app", "config");
    Digest layer = pushBlob("app", "layer");
    Digest first = manifestDigest(pushManifest("app", "v1", config, layer));
    call("DELETE", "/v2/app/manifests/" + first, null);
    ageEverything();
    // After the mark (which saw no manifest), before the sweep: a push names the old blobs.
    probes.beforeListing =
        () ->
            assertThat(unchecked(() -> pushManifest("app", "v2", config, layer)).statusCode())
                .isEqualTo(201);
    collect(Duration.ZERO);
    assertThat(blob(config)).exists();
    assertThat(blob(layer)).exists();
    assertThat(call("GET", "/v2/app/manifests/v2", null).statusCode()).isEqualTo(200);
    assertThat(call("GET", "/v2/app/blobs/" + layer, null).statusCode()).isEqualTo(200);
  }

  @Test
  void aManifestPushAfterTheSweepDeletedItsBlobIsRefusedNotBroken() throws Exception {
    Digest config = pushBlob("app", "config");
    Digest layer = pushBlob("app", "layer");
    Digest first = manifestDigest(pushManifest("app", "v1", config, layer));
    call("DELETE", "/v2/app/manifests/" + first, null);
    ageEverything();
    @SuppressWarnings("unchecked")
    HttpResponse<byte[]>[] late = new HttpResponse[1];
    probes.afterDelete =
        d -> {
          if (d.equals(layer)) {
            late[0] = unchecked(() -> pushManifest("app", "v2", config, layer));
          }
        };
    collect(Duration.ZERO);
    assertThat(late[0].statusCode()).isEqualTo(400);
    assertThat(new String(late[0].body(), UTF_8))
        .contains("MANIFEST_BLOB_UNKNOWN", layer.toString());
    assertThat(call("GET", "/v2/app/manifests/v2", null).statusCode()).isEqualTo(404);
  }

  @Test
  void aPushRunningWhenTheCollectionStartsIsSparedEvenWithNoGrace() throws Exception {
    Digest config = pushBlob("app", "config");
    Digest layer = pushBlob("app", "layer");
    Digest first = manifestDigest(pushManifest("app", "v1", config, layer));
    call("DELETE", "/v2/app/manifests/" + first, null);
    ageEverything();
    // The push retains its blobs, then stalls before writing its revision; the collection starts
    // after the retain and marks without the revision.
    CountDownLatch retained = new CountDownLatch(1);
    CountDownLatch resume = new CountDownLatch(1);
    probes.afterRetain =
        d -> {
          if (d.equals(layer)) {
            retained.countDown();
            awaitQuietly(resume);
          }
        };
    CompletableFuture<HttpResponse<byte[]>> push =
        CompletableFuture.supplyAsync(
            () -> unchecked(() -> pushManifest("app", "v2", config, layer)));
    assertThat(retained.await(10, TimeUnit.SECONDS)).isTrue();
    Thread.sleep(20);
    probes.afterRetain = d -> {};
    collect(Duration.ZERO);
    resume.countDown();
    assertThat(push.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(201);
    assertThat(call("GET", "/v2/app/blobs/" + layer, null).statusCode()).isEqualTo(200);
    assertThat(call("GET", "/v2/app/blobs/" + config, null).statusCode()).isEqualTo(200);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private interface ThrowingSupplier<T> {
    T get() throws Exception;
  }

  private static <T> T unchecked(ThrowingSupplier<T> s) {
    try {
      return s.get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Lists the blobs on disk without going through the probed store. */
  static final class BlobStoreAccess {
    static List<Digest> digests(Path root) throws IOException {
      return BlobStores.open(root.toUri().toString()).digests();
    }
  }

  /** A blob store that runs the probes around the calls a collection makes. */
  private record ProbedStore(BlobStore delegate, Probes probes) implements BlobStore {

    @Override
    public List<Digest> digests() throws IOException {
      probes.beforeListing.run();
      return delegate.digests();
    }

    @Override
    public OptionalLong deleteIfUnusedSince(Digest digest, Instant cutoff) throws IOException {
      OptionalLong freed = delegate.deleteIfUnusedSince(digest, cutoff);
      if (freed.isPresent()) {
        probes.afterDelete.accept(digest);
      }
      return freed;
    }

    @Override
    public boolean retain(Digest digest) throws IOException {
      boolean kept = delegate.retain(digest);
      probes.afterRetain.accept(digest);
      return kept;
    }

    @Override
    public BlobInfo put(Digest expected, InputStream content) throws IOException {
      return delegate.put(expected, content);
    }

    @Override
    public Optional<BlobInfo> stat(Digest digest) throws IOException {
      return delegate.stat(digest);
    }

    @Override
    public Optional<BlobReader> open(Digest digest) throws IOException {
      return delegate.open(digest);
    }

    @Override
    public boolean delete(Digest digest) throws IOException {
      return delegate.delete(digest);
    }

    @Override
    public String startUpload() throws IOException {
      return delegate.startUpload();
    }

    @Override
    public long append(String uploadId, long offset, InputStream content) throws IOException {
      return delegate.append(uploadId, offset, content);
    }

    @Override
    public long uploadSize(String uploadId) throws IOException {
      return delegate.uploadSize(uploadId);
    }

    @Override
    public BlobInfo commitUpload(String uploadId, Digest expected) throws IOException {
      return delegate.commitUpload(uploadId, expected);
    }

    @Override
    public boolean cancelUpload(String uploadId) throws IOException {
      return delegate.cancelUpload(uploadId);
    }

    @Override
    public int purgeExpiredUploads(Instant now) throws IOException {
      return delegate.purgeExpiredUploads(now);
    }
  }
}
