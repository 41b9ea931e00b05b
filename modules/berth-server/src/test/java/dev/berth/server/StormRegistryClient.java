package dev.berth.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.registry.blob.Digest;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * The registry's HTTP API driven by hand for the crash storm: ACR access tokens from admin
 * credentials, monolithic and chunked blob uploads, manifest pushes, reads and repository deletes.
 * Every call either returns what the server answered or throws; a test counts a write as
 * acknowledged only when its success status came back. Not thread-safe per repository; one instance
 * may serve several threads.
 */
final class StormRegistryClient {

  static final String OCI = "application/vnd.oci.image.manifest.v1+json";

  /** An image as pushed: its manifest and the blobs it names. */
  record Image(String repository, String tag, Digest manifest, List<Digest> blobs) {}

  private final HttpClient http;
  private final String base;
  private final String loginServer;
  private final String basic;

  StormRegistryClient(Path caPem, String loginServer, String username, String password)
      throws Exception {
    this.http =
        HttpClient.newBuilder()
            .sslContext(Https.trusting(caPem))
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    this.loginServer = loginServer;
    this.base = "https://" + loginServer;
    this.basic =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** An ACR access token for {@code repository:<repo>:pull,push,delete}. */
  String token(String repository) throws Exception {
    String scope = "repository:" + repository + ":pull,push,delete";
    HttpResponse<String> r =
        http.send(
            request(
                    "/oauth2/token?service="
                        + URLEncoder.encode(loginServer, StandardCharsets.UTF_8)
                        + "&scope="
                        + URLEncoder.encode(scope, StandardCharsets.UTF_8))
                .header("Authorization", basic)
                .GET()
                .build(),
            BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("token: " + r.statusCode() + " " + r.body());
    }
    return Https.JSON.readTree(r.body()).path("access_token").asText();
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
  }

  private HttpResponse<byte[]> send(
      String token, String method, String path, byte[] body, String... headers) throws Exception {
    HttpRequest.Builder b =
        request(path)
            .header("Authorization", "Bearer " + token)
            .method(
                method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofByteArray(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), BodyHandlers.ofByteArray());
  }

  private static HttpResponse<byte[]> expect(HttpResponse<byte[]> r, int status, String what)
      throws IOException {
    if (r.statusCode() != status) {
      throw new IOException(
          what + ": " + r.statusCode() + " " + new String(r.body(), StandardCharsets.UTF_8));
    }
    return r;
  }

  /** {@code POST …/blobs/uploads/?digest=} with the whole blob. */
  Digest pushMonolithic(String token, String repo, byte[] content) throws Exception {
    Digest d = Digest.sha256(content);
    expect(send(token, "POST", "/v2/" + repo + "/blobs/uploads/?digest=" + d, content), 201, "put");
    return d;
  }

  /** {@code POST}, then a {@code PATCH} per chunk, then {@code PUT ?digest=}. */
  Digest pushChunked(String token, String repo, byte[] content, int chunk) throws Exception {
    Digest d = Digest.sha256(content);
    var start = expect(send(token, "POST", "/v2/" + repo + "/blobs/uploads/", null), 202, "start");
    String location = start.headers().firstValue("Location").orElseThrow();
    for (int offset = 0; offset < content.length; offset += chunk) {
      int end = Math.min(content.length, offset + chunk);
      var patch =
          send(
              token,
              "PATCH",
              location,
              Arrays.copyOfRange(content, offset, end),
              "Content-Type",
              "application/octet-stream",
              "Content-Range",
              offset + "-" + (end - 1));
      location = expect(patch, 202, "patch").headers().firstValue("Location").orElseThrow();
    }
    expect(send(token, "PUT", location + "?digest=" + d, null), 201, "commit");
    return d;
  }

  /** Pushes a manifest naming {@code config} and {@code layers}; the image as acknowledged. */
  Image pushManifest(
      String token,
      String repo,
      String tag,
      Digest config,
      long configSize,
      List<Digest> layers,
      List<Long> layerSizes)
      throws Exception {
    StringBuilder m =
        new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + OCI + "\",")
            .append("\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",")
            .append("\"digest\":\"" + config + "\",\"size\":" + configSize + "},\"layers\":[");
    for (int i = 0; i < layers.size(); i++) {
      m.append(i == 0 ? "" : ",")
          .append("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"")
          .append(layers.get(i))
          .append("\",\"size\":")
          .append(layerSizes.get(i))
          .append('}');
    }
    m.append("]}");
    byte[] body = m.toString().getBytes(StandardCharsets.UTF_8);
    var put =
        expect(
            send(token, "PUT", "/v2/" + repo + "/manifests/" + tag, body, "Content-Type", OCI),
            201,
            "manifest");
    Digest digest = Digest.parse(put.headers().firstValue("Docker-Content-Digest").orElseThrow());
    List<Digest> blobs = new ArrayList<>(layers);
    blobs.add(config);
    return new Image(repo, tag, digest, List.copyOf(blobs));
  }

  /** The status of {@code GET …/manifests/<tag>}, and the digest it served. */
  HttpResponse<byte[]> getManifest(String token, String repo, String reference) throws Exception {
    return send(token, "GET", "/v2/" + repo + "/manifests/" + reference, null, "Accept", OCI);
  }

  /** The status of {@code GET …/blobs/<digest>}, after checking the bytes hash to it. */
  int getBlob(String token, String repo, Digest digest) throws Exception {
    var r = send(token, "GET", "/v2/" + repo + "/blobs/" + digest, null);
    if (r.statusCode() == 200 && !Digest.sha256(r.body()).equals(digest)) {
      throw new AssertionError("blob " + digest + " of " + repo + " served other bytes");
    }
    return r.statusCode();
  }

  /** {@code DELETE /acr/v1/<repo>}; true when acknowledged (202). */
  boolean deleteRepository(String token, String repo) throws Exception {
    return send(token, "DELETE", "/acr/v1/" + repo, null).statusCode() == 202;
  }

  static JsonNode json(HttpResponse<byte[]> r) throws Exception {
    return Https.JSON.readTree(r.body());
  }
}
