package dev.berth.registry.distribution;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.http.Json;
import dev.berth.registry.blob.Digest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The distribution and ACR metadata endpoints over real HTTP on loopback. */
class DistributionApiTest {

  private static final String OCI = "application/vnd.oci.image.manifest.v1+json";
  @TempDir Path dir;
  private RegistryServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    server = new RegistryServer(dir);
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

  private static JsonNode json(HttpResponse<byte[]> r) throws Exception {
    return Json.parse(r.body());
  }

  private static String error(HttpResponse<byte[]> r) throws Exception {
    assertThat(r.headers().firstValue("Content-Type")).contains("application/json; charset=utf-8");
    return json(r).path("errors").get(0).path("code").asText();
  }

  private Digest pushBlob(String repo, byte[] content) throws Exception {
    Digest d = Digest.sha256(content);
    var r = call("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + d, content);
    assertThat(r.statusCode()).isEqualTo(201);
    return d;
  }

  private String manifest(
      Digest config, long configSize, Digest layer, long layerSize, String extra) {
    return "{\"schemaVersion\":2,\"mediaType\":\""
        + OCI
        + "\",\"config\":{\"mediaType\":"
        + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
        + config
        + "\",\"size\":"
        + configSize
        + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
        + "\"digest\":\""
        + layer
        + "\",\"size\":"
        + layerSize
        + "}]"
        + extra
        + "}";
  }

  /** Pushes config, layer and manifest as {@code repo:tag}; the manifest's digest. */
  private Digest pushImage(String repo, String tag) throws Exception {
    byte[] config = ("{\"tag\":\"" + tag + "\"}").getBytes(StandardCharsets.UTF_8);
    byte[] layer = ("layer of " + tag).getBytes(StandardCharsets.UTF_8);
    String m =
        manifest(pushBlob(repo, config), config.length, pushBlob(repo, layer), layer.length, "");
    var r =
        call(
            "PUT",
            "/v2/" + repo + "/manifests/" + tag,
            m.getBytes(StandardCharsets.UTF_8),
            "Content-Type",
            OCI);
    assertThat(r.statusCode()).as(new String(r.body(), UTF_8)).isEqualTo(201);
    return Digest.parse(r.headers().firstValue("Docker-Content-Digest").orElseThrow());
  }

  @Test
  void versionCheckAnswersEmptyObjectAndAsksForNoScope() throws Exception {
    var r = call("GET", "/v2/", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new String(r.body(), UTF_8)).isEqualTo("{}");
    assertThat(r.headers().firstValue("Docker-Distribution-Api-Version")).contains("registry/2.0");
    assertThat(server.asked).containsExactly(List.of());
  }

  @Test
  void aRefusedCallerGetsTheAccessLayersChallengeInTheEnvelope() throws Exception {
    var r = call("GET", "/v2/team/api/tags/list", null, "X-Deny", "1");
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(error(r)).isEqualTo("UNAUTHORIZED");
    assertThat(r.headers().firstValue("WWW-Authenticate")).isPresent();
    assertThat(r.headers().firstValue("Docker-Distribution-Api-Version")).contains("registry/2.0");
  }

  @Test
  void eachRouteAsksForItsScopes() throws Exception {
    Digest m = pushImage("team/api", "v1");
    server.asked.clear();
    call("GET", "/v2/team/api/manifests/v1", null);
    call("DELETE", "/v2/team/api/blobs/" + Digest.sha256(new byte[1]), null);
    call("GET", "/v2/_catalog", null);
    call("GET", "/acr/v1/team/api/_tags", null);
    call("DELETE", "/acr/v1/team/api/_tags/nope", null);
    call("POST", "/v2/team/api/blobs/uploads/?mount=" + m + "&from=other/repo", null);
    assertThat(server.asked)
        .containsExactly(
            List.of("repository:team/api:pull"),
            List.of("repository:team/api:delete"),
            List.of("registry:catalog:*"),
            List.of("repository:team/api:metadata_read"),
            List.of("repository:team/api:delete"),
            // One ask for a mount, before the handler: its fall-back to an upload (other/repo
            // has no such blob) needs no more than the pull,push on team/api granted with it.
            List.of("repository:team/api:pull,push", "repository:other/repo:pull"));
  }

  @Test
  void aMonolithicBlobReadsBackWholeByHeadAndByRange() throws Exception {
    byte[] content = new byte[100_000];
    Arrays.fill(content, (byte) 3);
    content[500] = 9;
    Digest d = pushBlob("app", content);
    var get = call("GET", "/v2/app/blobs/" + d, null);
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(get.body()).isEqualTo(content);
    assertThat(get.headers().firstValue("Docker-Content-Digest")).contains(d.toString());
    assertThat(get.headers().firstValue("Accept-Ranges")).contains("bytes");
    var head = call("HEAD", "/v2/app/blobs/" + d, null);
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValue("Content-Length")).contains("100000");
    var range = call("GET", "/v2/app/blobs/" + d, null, "Range", "bytes=500-501");
    assertThat(range.statusCode()).isEqualTo(206);
    assertThat(range.body()).containsExactly(9, 3);
    assertThat(range.headers().firstValue("Content-Range")).contains("bytes 500-501/100000");
    var bad = call("GET", "/v2/app/blobs/" + d, null, "Range", "bytes=200000-");
    assertThat(bad.statusCode()).isEqualTo(416);
    assertThat(error(bad)).isEqualTo("RANGE_INVALID");
    assertThat(error(call("GET", "/v2/other/blobs/" + d, null))).isEqualTo("BLOB_UNKNOWN");
    assertThat(call("DELETE", "/v2/app/blobs/" + d, null).statusCode()).isEqualTo(202);
    assertThat(call("GET", "/v2/app/blobs/" + d, null).statusCode()).isEqualTo(404);
  }

  @Test
  void aChunkedUploadReportsItsRangeRefusesAWrongOneAndCompletes() throws Exception {
    byte[] content = "0123456789abcdefghij".getBytes(StandardCharsets.UTF_8);
    Digest d = Digest.sha256(content);
    var start = call("POST", "/v2/app/blobs/uploads/", null);
    assertThat(start.statusCode()).isEqualTo(202);
    String location = start.headers().firstValue("Location").orElseThrow();
    assertThat(location).startsWith("/v2/app/blobs/uploads/");
    assertThat(start.headers().firstValue("Docker-Upload-UUID")).isPresent();
    assertThat(start.headers().firstValue("Range")).contains("0-0");
    var patch = call("PATCH", location, Arrays.copyOf(content, 10), "Content-Range", "0-9");
    assertThat(patch.statusCode()).isEqualTo(202);
    assertThat(patch.headers().firstValue("Range")).contains("0-9");
    var status = call("GET", location, null);
    assertThat(status.statusCode()).isEqualTo(204);
    assertThat(status.headers().firstValue("Range")).contains("0-9");
    var wrong = call("PATCH", location, Arrays.copyOfRange(content, 5, 10), "Content-Range", "5-9");
    assertThat(wrong.statusCode()).isEqualTo(416);
    assertThat(error(wrong)).isEqualTo("RANGE_INVALID");
    var put = call("PUT", location + "?digest=" + d, Arrays.copyOfRange(content, 10, 20));
    assertThat(put.statusCode()).isEqualTo(201);
    assertThat(put.headers().firstValue("Location")).contains("/v2/app/blobs/" + d);
    assertThat(call("GET", "/v2/app/blobs/" + d, null).body()).isEqualTo(content);
  }

  @Test
  void aStreamedPatchThenPutCompletesAndACancelledUploadIsUnknown() throws Exception {
    byte[] content = new byte[3_000_000];
    Arrays.fill(content, (byte) 1);
    Digest d = Digest.sha256(content);
    String location =
        call("POST", "/v2/app/blobs/uploads/", null).headers().firstValue("Location").orElseThrow();
    assertThat(call("PATCH", location, content).statusCode()).isEqualTo(202);
    assertThat(call("PUT", location + "?digest=" + d, null).statusCode()).isEqualTo(201);
    String other =
        call("POST", "/v2/app/blobs/uploads/", null).headers().firstValue("Location").orElseThrow();
    assertThat(call("DELETE", other, null).statusCode()).isEqualTo(204);
    var gone = call("GET", other, null);
    assertThat(gone.statusCode()).isEqualTo(404);
    assertThat(error(gone)).isEqualTo("BLOB_UPLOAD_UNKNOWN");
  }

  @Test
  void bytesThatDoNotMatchTheirDigestAreRefused() throws Exception {
    Digest claimed = Digest.sha256("other".getBytes(StandardCharsets.UTF_8));
    var r =
        call(
            "POST",
            "/v2/app/blobs/uploads/?digest=" + claimed,
            "bytes".getBytes(StandardCharsets.UTF_8));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(error(r)).isEqualTo("DIGEST_INVALID");
    assertThat(call("GET", "/v2/app/blobs/" + claimed, null).statusCode()).isEqualTo(404);
  }

  @Test
  void aBlobMountsFromARepositoryThatHasItAndOtherwiseAnUploadStarts() throws Exception {
    Digest d = pushBlob("source", "shared".getBytes(StandardCharsets.UTF_8));
    var mount = call("POST", "/v2/target/blobs/uploads/?mount=" + d + "&from=source", null);
    assertThat(mount.statusCode()).isEqualTo(201);
    assertThat(mount.headers().firstValue("Location")).contains("/v2/target/blobs/" + d);
    assertThat(call("HEAD", "/v2/target/blobs/" + d, null).statusCode()).isEqualTo(200);
    var fallback = call("POST", "/v2/third/blobs/uploads/?mount=" + d + "&from=nowhere", null);
    assertThat(fallback.statusCode()).isEqualTo(202);
  }

  @Test
  void badNamesAndDigestsAreRefusedWithTheSpecsCodes() throws Exception {
    assertThat(error(call("GET", "/v2/Team/api/tags/list", null))).isEqualTo("NAME_INVALID");
    assertThat(error(call("GET", "/v2/a/../b/tags/list", null)))
        .isIn("NAME_INVALID", "NAME_UNKNOWN");
    assertThat(error(call("GET", "/v2/a..b/tags/list", null))).isEqualTo("NAME_INVALID");
    var tooLong = call("GET", "/v2/" + "a".repeat(256) + "/tags/list", null);
    assertThat(tooLong.statusCode()).isEqualTo(400);
    assertThat(error(tooLong)).isEqualTo("NAME_INVALID");
    var digest = call("GET", "/v2/app/blobs/sha256:xyz", null);
    assertThat(digest.statusCode()).isEqualTo(400);
    assertThat(error(digest)).isEqualTo("DIGEST_INVALID");
    assertThat(error(call("GET", "/v2/app/blobs/sha256:" + "a".repeat(63), null)))
        .isEqualTo("DIGEST_INVALID");
  }

  @Test
  void aManifestPullsByTagAndDigestWithItsMediaType() throws Exception {
    Digest m = pushImage("team/api", "v1");
    var byTag = call("GET", "/v2/team/api/manifests/v1", null, "Accept", OCI);
    assertThat(byTag.statusCode()).isEqualTo(200);
    assertThat(byTag.headers().firstValue("Content-Type")).contains(OCI);
    assertThat(byTag.headers().firstValue("Docker-Content-Digest")).contains(m.toString());
    assertThat(Digest.sha256(byTag.body())).isEqualTo(m);
    var byDigest = call("GET", "/v2/team/api/manifests/" + m, null);
    assertThat(byDigest.body()).isEqualTo(byTag.body());
    var head = call("HEAD", "/v2/team/api/manifests/v1", null);
    assertThat(head.headers().firstValue("Content-Length"))
        .contains(String.valueOf(byTag.body().length));
    var dockerOnly =
        call(
            "GET",
            "/v2/team/api/manifests/v1",
            null,
            "Accept",
            "application/vnd.docker.distribution.manifest.v2+json");
    assertThat(dockerOnly.statusCode()).isEqualTo(404);
  }

  @Test
  void missingTagsAndRepositoriesAnswerAcrsExactBodies() throws Exception {
    pushImage("app", "v1");
    var tag = call("GET", "/v2/app/manifests/1.1.2", null);
    assertThat(tag.statusCode()).isEqualTo(404);
    assertThat(new String(tag.body(), UTF_8))
        .isEqualTo(
            "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest tagged by \\\"1.1.2\\\" is not found\",\"detail\":{\"Tag\":\"1.1.2\"}}]}");
    var repo = call("GET", "/v2/library/busybox/manifests/latest", null);
    assertThat(repo.statusCode()).isEqualTo(404);
    assertThat(new String(repo.body(), UTF_8))
        .isEqualTo(
            "{\"errors\":[{\"code\":\"NAME_UNKNOWN\",\"message\":\"repository name not known to registry\",\"detail\":{\"name\":\"library/busybox\"}}]}");
  }

  @Test
  void manifestPushesAreValidated() throws Exception {
    Digest missing1 = Digest.sha256("a".getBytes(StandardCharsets.UTF_8));
    Digest missing2 = Digest.sha256("b".getBytes(StandardCharsets.UTF_8));
    var blobs =
        call(
            "PUT",
            "/v2/app/manifests/v1",
            manifest(missing1, 1, missing2, 1, "").getBytes(StandardCharsets.UTF_8),
            "Content-Type",
            OCI);
    assertThat(blobs.statusCode()).isEqualTo(400);
    JsonNode errors = json(blobs).path("errors");
    assertThat(errors).hasSize(2);
    assertThat(errors.get(0).path("code").asText()).isEqualTo("MANIFEST_BLOB_UNKNOWN");
    assertThat(errors.get(0).path("detail").asText()).isEqualTo(missing1.toString());
    assertThat(errors.get(1).path("detail").asText()).isEqualTo(missing2.toString());
    var big =
        call("PUT", "/v2/app/manifests/v1", new byte[4 * 1024 * 1024 + 1], "Content-Type", OCI);
    assertThat(big.statusCode()).isEqualTo(413);
    var notJson =
        call(
            "PUT",
            "/v2/app/manifests/v1",
            "{nope".getBytes(StandardCharsets.UTF_8),
            "Content-Type",
            OCI);
    assertThat(error(notJson)).isEqualTo("MANIFEST_INVALID");
    byte[] body =
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]}"
            .getBytes(StandardCharsets.UTF_8);
    var wrongDigest =
        call(
            "PUT",
            "/v2/app/manifests/" + missing1,
            body,
            "Content-Type",
            "application/vnd.oci.image.index.v1+json");
    assertThat(error(wrongDigest)).isEqualTo("DIGEST_INVALID");
    var mismatch = call("PUT", "/v2/app/manifests/v1", body, "Content-Type", OCI);
    assertThat(error(mismatch)).isEqualTo("MANIFEST_INVALID");
    var child =
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[{\"mediaType\":\""
            + OCI
            + "\",\"digest\":\""
            + missing1
            + "\",\"size\":1}]}";
    var index =
        call(
            "PUT",
            "/v2/app/manifests/idx",
            child.getBytes(StandardCharsets.UTF_8),
            "Content-Type",
            "application/vnd.oci.image.index.v1+json");
    assertThat(error(index)).isEqualTo("MANIFEST_UNKNOWN");
  }

  @Test
  void tagsListPagesWithLinkHeaders() throws Exception {
    Digest m = pushImage("app", "c");
    byte[] bytes = call("GET", "/v2/app/manifests/c", null).body();
    for (String tag : List.of("a", "b")) {
      call("PUT", "/v2/app/manifests/" + tag, bytes, "Content-Type", OCI);
    }
    var first = call("GET", "/v2/app/tags/list?n=2", null);
    assertThat(json(first).path("tags").toString()).isEqualTo("[\"a\",\"b\"]");
    assertThat(first.headers().firstValue("Link"))
        .contains("</v2/app/tags/list?n=2&last=b>; rel=\"next\"");
    var second = call("GET", "/v2/app/tags/list?n=2&last=b", null);
    assertThat(json(second).path("tags").toString()).isEqualTo("[\"c\"]");
    assertThat(second.headers().firstValue("Link")).isEmpty();
    assertThat(error(call("GET", "/v2/app/tags/list?n=x", null)))
        .isEqualTo("PAGINATION_NUMBER_INVALID");
    assertThat(call("DELETE", "/v2/app/manifests/a", null).statusCode()).isEqualTo(202);
    assertThat(call("DELETE", "/v2/app/manifests/" + m, null).statusCode()).isEqualTo(202);
    assertThat(json(call("GET", "/v2/app/tags/list", null)).path("tags")).isEmpty();
  }

  @Test
  void theCatalogListsRepositoriesWithPaging() throws Exception {
    pushImage("b/nested", "v1");
    pushImage("a", "v1");
    pushImage("c", "v1");
    assertThat(json(call("GET", "/v2/_catalog", null)).path("repositories").toString())
        .isEqualTo("[\"a\",\"b/nested\",\"c\"]");
    var page = call("GET", "/v2/_catalog?n=1&last=a", null);
    assertThat(json(page).path("repositories").toString()).isEqualTo("[\"b/nested\"]");
    assertThat(page.headers().firstValue("Link"))
        .contains("</v2/_catalog?n=1&last=b%2Fnested>; rel=\"next\"");
    assertThat(json(call("GET", "/acr/v1/_catalog", null)).path("repositories")).hasSize(3);
  }

  @Test
  void referrersListManifestsWhoseSubjectIsTheDigest() throws Exception {
    Digest subject = pushImage("app", "v1");
    byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
    Digest c = pushBlob("app", config);
    String sig =
        "{\"schemaVersion\":2,\"mediaType\":\""
            + OCI
            + "\",\"artifactType\":\"application/x.sig\",\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":\""
            + c
            + "\",\"size\":2},\"layers\":[],\"subject\":{\"mediaType\":\""
            + OCI
            + "\",\"digest\":\""
            + subject
            + "\",\"size\":1}}";
    byte[] sigBytes = sig.getBytes(StandardCharsets.UTF_8);
    var put =
        call("PUT", "/v2/app/manifests/" + Digest.sha256(sigBytes), sigBytes, "Content-Type", OCI);
    assertThat(put.statusCode()).isEqualTo(201);
    assertThat(put.headers().firstValue("OCI-Subject")).contains(subject.toString());
    var referrers = call("GET", "/v2/app/referrers/" + subject + "?api-version=2021-07-01", null);
    assertThat(referrers.statusCode()).isEqualTo(200);
    assertThat(referrers.headers().firstValue("Content-Type"))
        .contains("application/vnd.oci.image.index.v1+json");
    assertThat(json(referrers).path("manifests").get(0).path("artifactType").asText())
        .isEqualTo("application/x.sig");
    var filtered = call("GET", "/v2/app/referrers/" + subject + "?artifactType=other", null);
    assertThat(json(filtered).path("manifests")).isEmpty();
    assertThat(filtered.headers().firstValue("OCI-Filters-Applied")).contains("artifactType");
    assertThat(json(call("GET", "/v2/app/referrers/" + c, null)).path("manifests")).isEmpty();
  }

  @Test
  void acrMetadataEndpointsAnswerTheSwaggerShapes() throws Exception {
    Digest m = pushImage("team/api", "v1");
    JsonNode repo = json(call("GET", "/acr/v1/team/api?api-version=2021-07-01", null));
    assertThat(repo.path("registry").asText()).isEqualTo("127.0.0.1:" + server.port());
    assertThat(repo.path("imageName").asText()).isEqualTo("team/api");
    assertThat(repo.path("manifestCount").asInt()).isEqualTo(1);
    assertThat(repo.path("tagCount").asInt()).isEqualTo(1);
    assertThat(repo.path("changeableAttributes").path("deleteEnabled").asBoolean()).isTrue();
    assertThat(repo.has("createdTime") && repo.has("lastUpdateTime")).isTrue();
    JsonNode tags = json(call("GET", "/acr/v1/team/api/_tags", null));
    assertThat(tags.path("tags").get(0).path("name").asText()).isEqualTo("v1");
    assertThat(tags.path("tags").get(0).path("digest").asText()).isEqualTo(m.toString());
    assertThat(tags.path("tags").get(0).path("signed").asBoolean()).isFalse();
    JsonNode tag = json(call("GET", "/acr/v1/team/api/_tags/v1", null));
    assertThat(tag.path("tag").path("digest").asText()).isEqualTo(m.toString());
    JsonNode manifests = json(call("GET", "/acr/v1/team/api/_manifests", null));
    assertThat(manifests.path("manifests").get(0).path("tags").get(0).asText()).isEqualTo("v1");
    JsonNode manifest = json(call("GET", "/acr/v1/team/api/_manifests/" + m, null));
    // What a pull moves: the manifest, the config ({"tag":"v1"}) and the layer ("layer of v1").
    long manifestBytes = call("GET", "/v2/team/api/manifests/" + m, null).body().length;
    assertThat(manifest.path("manifest").path("imageSize").asLong())
        .isEqualTo(manifestBytes + "{\"tag\":\"v1\"}".length() + "layer of v1".length());
    assertThat(call("DELETE", "/acr/v1/team/api/_tags/v1", null).statusCode()).isEqualTo(202);
    assertThat(error(call("GET", "/acr/v1/team/api/_tags/v1", null))).isEqualTo("MANIFEST_UNKNOWN");
    var deleted = call("DELETE", "/acr/v1/team/api", null);
    assertThat(deleted.statusCode()).isEqualTo(202);
    assertThat(json(deleted).path("manifestsDeleted").get(0).asText()).isEqualTo(m.toString());
    assertThat(error(call("GET", "/acr/v1/team/api", null))).isEqualTo("NAME_UNKNOWN");
  }
}
