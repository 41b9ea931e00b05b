package dev.berth.registry.distribution;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.http.Json;
import dev.berth.registry.blob.Digest;
import dev.berth.testing.RawHttp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Malformed and out-of-bounds input to the distribution API over real HTTP: each is a 4xx with the
 * spec's code (404 for pulls of references that cannot exist, 400 for bad pushes, 416 for a range
 * that overflows), never a 5xx.
 */
@Timeout(60)
class DistributionInputTest {

  private static final String OCI = "application/vnd.oci.image.manifest.v1+json";
  @TempDir Path dir;
  private RegistryServer server;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

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
            .timeout(Duration.ofSeconds(10))
            .method(
                method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofByteArray(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), BodyHandlers.ofByteArray());
  }

  private static String code(String json) throws Exception {
    JsonNode errors = Json.parse(json.getBytes(StandardCharsets.UTF_8)).path("errors");
    return errors.get(0).path("code").asText();
  }

  private static String code(HttpResponse<byte[]> r) throws Exception {
    return code(new String(r.body(), StandardCharsets.UTF_8));
  }

  private RawHttp.Reply raw(String request, boolean halfClose) throws Exception {
    return RawHttp.send(server.port(), request, halfClose);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/v2/_catalog?n=%zz", "/v2/app/tags/list?n=%zz", "/v2/_catalog?n=%"})
  void aMalformedEscapeInAListingQueryIs400(String target) throws Exception {
    call("POST", "/v2/app/blobs/uploads/?digest=" + Digest.sha256(new byte[] {1}), new byte[] {1});
    RawHttp.Reply r = raw("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n", false);
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(code(r.body())).isEqualTo("PAGINATION_NUMBER_INVALID");
  }

  @Test
  void aContentRangeBeyond64BitsIs416() throws Exception {
    String location = startUpload("app");
    var r =
        call(
            "PATCH",
            location,
            "abc".getBytes(StandardCharsets.UTF_8),
            "Content-Range",
            "0-99999999999999999999",
            "Content-Type",
            "application/octet-stream");
    assertThat(r.statusCode()).isEqualTo(416);
    assertThat(code(r)).isEqualTo("RANGE_INVALID");
  }

  @Test
  void aBodyShorterThanItsContentLengthIs400() throws Exception {
    String location = startUpload("app");
    RawHttp.Reply r =
        raw(
            "PATCH "
                + location
                + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
                + "Content-Length: 100\r\n\r\nonly ten b",
            true);
    assertThat(r.status()).as(r.head()).isEqualTo(400);
    assertThat(code(r.body())).isEqualTo("BLOB_UPLOAD_INVALID");
  }

  @Test
  void aBrokenChunkedBodyIs400() throws Exception {
    String location = startUpload("app");
    RawHttp.Reply r =
        raw(
            "PATCH "
                + location
                + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz-not-hex\r\nxx\r\n0\r\n\r\n",
            true);
    assertThat(r.status()).as(r.head()).isEqualTo(400);
    assertThat(code(r.body())).isEqualTo("BLOB_UPLOAD_INVALID");
  }

  @ParameterizedTest
  @ValueSource(strings = {"bad!tag", "-dash", "sha256:xyz", "sha256:", "md5:abc"})
  void pullingAReferenceThatCannotExistIs404ManifestUnknown(String reference) throws Exception {
    call("POST", "/v2/app/blobs/uploads/?digest=" + Digest.sha256(new byte[] {1}), new byte[] {1});
    var get = call("GET", "/v2/app/manifests/" + reference, null);
    assertThat(get.statusCode()).isEqualTo(404);
    assertThat(code(get)).isEqualTo("MANIFEST_UNKNOWN");
    assertThat(call("HEAD", "/v2/app/manifests/" + reference, null).statusCode()).isEqualTo(404);
  }

  @Test
  void aTagOfOver128CharactersIs404OnPullAnd400OnPush() throws Exception {
    call("POST", "/v2/app/blobs/uploads/?digest=" + Digest.sha256(new byte[] {1}), new byte[] {1});
    String tag = "t".repeat(129);
    assertThat(call("GET", "/v2/app/manifests/" + tag, null).statusCode()).isEqualTo(404);
    var put = call("PUT", "/v2/app/manifests/" + tag, manifest(1, "2"), "Content-Type", OCI);
    assertThat(put.statusCode()).isEqualTo(400);
    assertThat(code(put)).isEqualTo("MANIFEST_INVALID");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"-1", "1000000000000000000000000000000", "1.5", "\"12\"", "9223372036854775808"})
  void aDescriptorSizeOutsideInt64IsManifestInvalid(String size) throws Exception {
    var r = call("PUT", "/v2/app/manifests/v1", manifest(1, size), "Content-Type", OCI);
    assertThat(r.statusCode()).as(new String(r.body(), UTF_8)).isEqualTo(400);
    assertThat(code(r)).isEqualTo("MANIFEST_INVALID");
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("size");
  }

  @Test
  void aMalformedEscapeInTheUploadQueryIs400BlobUploadInvalid() throws Exception {
    RawHttp.Reply r =
        raw(
            "POST /v2/app/blobs/uploads/?digest=%zz HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
            false);
    assertThat(r.status()).isEqualTo(400);
    assertThat(code(r.body())).isEqualTo("BLOB_UPLOAD_INVALID");
  }

  private String startUpload(String repo) throws Exception {
    var r = call("POST", "/v2/" + repo + "/blobs/uploads/", null);
    assertThat(r.statusCode()).isEqualTo(202);
    return r.headers().firstValue("Location").orElseThrow();
  }

  /** An OCI manifest whose config descriptor has {@code size} as given (raw JSON). */
  private static byte[] manifest(int configByte, String size) {
    Digest config = Digest.sha256(new byte[] {(byte) configByte});
    return ("{\"schemaVersion\":2,\"mediaType\":\""
            + OCI
            + "\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\","
            + "\"digest\":\""
            + config
            + "\",\"size\":"
            + size
            + "},\"layers\":[]}")
        .getBytes(StandardCharsets.UTF_8);
  }
}
