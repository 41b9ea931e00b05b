package dev.berth.registry.distribution;

import static dev.berth.testing.Fuzz.frequency;
import static dev.berth.testing.Fuzz.joined;
import static dev.berth.testing.Fuzz.oneOf;
import static dev.berth.testing.Fuzz.qt;
import static dev.berth.testing.Fuzz.unchecked;
import static dev.berth.testing.Fuzz.weighted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.lists;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.http.Json;
import dev.berth.registry.blob.Digest;
import dev.berth.testing.Fuzz;
import dev.berth.testing.JsonGenerators;
import dev.berth.testing.RawHttp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Random requests to the distribution API over real HTTP on loopback — paths from the route
 * vocabulary with hostile segments and escapes, random queries, {@code Content-Range} headers and
 * manifest bodies — are each answered within seconds and never with a 5xx.
 */
class DistributionFuzzTest {

  private static final String OCI = "application/vnd.oci.image.manifest.v1+json";
  private static Path dir;
  private static RegistryServer server;

  /** One request's method, path, query (with its {@code ?}) and extra header lines. */
  record Request(String method, String path, String query, String headers) {}

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("distribution-fuzz");
    server = new RegistryServer(dir);
    // Something to find: a repository with a blob, so that deeper code paths run.
    send("POST /v2/app/blobs/uploads/?digest=" + Digest.sha256(new byte[] {1}), "\u0001", "");
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void randomRequestsAreNever5xx() {
    qt(400)
        .forAll(methods().zip(paths(), queries(), headers(), Request::new))
        .checkAssert(
            unchecked(
                q -> {
                  RawHttp.Reply r = send(q.method() + " " + q.path() + q.query(), "", q.headers());
                  assertThat(r.status()).as("%s → %s", q, r.body()).isBetween(100, 499);
                }));
  }

  @Test
  void aContentRangeIsEither202Or416() {
    qt(300)
        .forAll(ranges())
        .checkAssert(
            unchecked(
                range -> {
                  RawHttp.Reply start = send("POST /v2/app/blobs/uploads/", "", "");
                  String location = header(start, "Location");
                  RawHttp.Reply r =
                      send("PATCH " + location, "abc", "Content-Range: " + range + "\r\n");
                  assertThat(r.status())
                      .as("Content-Range %s → %s", range, r.body())
                      .isIn(202, 400, 416);
                }));
  }

  @Test
  void randomManifestsAreRefusedWithA4xx() throws IOException {
    qt(300)
        .forAll(manifests())
        .checkAssert(
            unchecked(
                manifest -> {
                  RawHttp.Reply r =
                      send(
                          "PUT /v2/app/manifests/fuzz",
                          manifest.toString(),
                          "Content-Type: " + OCI + "\r\n");
                  assertThat(r.status()).as("%s → %s", manifest, r.body()).isBetween(200, 499);
                }));
  }

  private static Gen<String> methods() {
    return arbitrary().pick("GET", "HEAD", "PUT", "POST", "PATCH", "DELETE");
  }

  private static Gen<String> paths() {
    Gen<String> segment =
        frequency(
            weighted(
                6,
                arbitrary()
                    .pick(
                        "v2",
                        "app",
                        "blobs",
                        "uploads",
                        "manifests",
                        "tags",
                        "list",
                        "_catalog",
                        "referrers",
                        "acr",
                        "v1",
                        "_tags",
                        "_manifests",
                        "latest",
                        Digest.sha256(new byte[] {1}).toString())),
            weighted(
                2,
                arbitrary()
                    .pick(
                        "%zz",
                        "%",
                        "%2F",
                        "..%2F..%2F",
                        "%2e%2e",
                        "a%00b",
                        "Team",
                        "a..b",
                        "sha256:",
                        "sha256:xyz",
                        "x".repeat(300),
                        "%C3%28",
                        "+",
                        "@",
                        ":",
                        "~")),
            // Printable ASCII but for what would end the path: '/', '?', '#'.
            weighted(1, Fuzz.strings(Fuzz.chars('!', '~').replaceAll("[/?#]", ""), 1, 12)));
    Gen<String> random =
        arbitrary()
            .pick("/v2/", "/acr/v1/", "/")
            .zip(joined(lists().of(segment).ofSizeBetween(0, 5), "/"), (prefix, p) -> prefix + p);
    // The routes' own shapes, so that most requests reach a handler and its parsing.
    Gen<String> name = frequency(weighted(4, arbitrary().constant("app")), weighted(1, segment));
    Gen<String> routed =
        arbitrary()
            .pick(
                "/v2/_catalog",
                "/v2/N/tags/list",
                "/v2/N/manifests/R",
                "/v2/N/blobs/R",
                "/v2/N/blobs/uploads/",
                "/v2/N/blobs/uploads/R",
                "/v2/N/referrers/R",
                "/acr/v1/_catalog",
                "/acr/v1/N",
                "/acr/v1/N/_tags",
                "/acr/v1/N/_tags/R",
                "/acr/v1/N/_manifests",
                "/acr/v1/N/_manifests/R")
            .zip(
                name,
                frequency(weighted(1, arbitrary().constant("latest")), weighted(3, segment)),
                (template, n, r) -> template.replace("N", n).replace("R", r));
    return frequency(weighted(1, random), weighted(3, routed));
  }

  private static Gen<String> queries() {
    Gen<String> pair =
        arbitrary()
            .pick("n", "last", "digest", "mount", "from", "tag", "orderby", "%zz")
            .zip(
                arbitrary()
                    .pick(
                        "",
                        "1",
                        "-1",
                        "99999999999999999999",
                        "%zz",
                        "%",
                        "sha256:xyz",
                        "app",
                        "a%2F..%2Fb",
                        "%E2%82"),
                (k, v) -> k + "=" + v);
    return oneOf(
        arbitrary().constant(""),
        joined(lists().of(pair).ofSizeBetween(1, 3), "&").map(q -> "?" + q));
  }

  private static Gen<String> headers() {
    Gen<String> header =
        arbitrary()
            .pick(
                "",
                "Content-Range: 0-99999999999999999999\r\n",
                "Content-Range: 5-2\r\n",
                "Content-Type: " + OCI + "\r\n",
                "Accept: */*\r\n",
                "Authorization: Basic %%%\r\n");
    return joined(lists().of(header).ofSizeBetween(0, 2), "");
  }

  private static Gen<String> ranges() {
    Gen<String> digits = Fuzz.strings("0123456789", 1, 30);
    return oneOf(
        digits.zip(digits, (a, b) -> a + "-" + b),
        arbitrary().pick("0-2", "bytes 0-2", "0-2/3", "-1-2", "0--1", "", " ", "0-", "a-b"));
  }

  private static Gen<JsonNode> manifests() throws IOException {
    Digest config = Digest.sha256(new byte[] {1});
    JsonNode valid =
        Json.parse(
            ("{\"schemaVersion\":2,\"mediaType\":\""
                    + OCI
                    + "\",\"config\":{\"mediaType\":"
                    + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
                    + config
                    + "\",\"size\":1},\"layers\":[{\"mediaType\":\"x\",\"digest\":\""
                    + config
                    + "\",\"size\":1}],\"subject\":{\"mediaType\":\""
                    + OCI
                    + "\",\"digest\":\""
                    + config
                    + "\",\"size\":1}}")
                .getBytes(StandardCharsets.UTF_8));
    return oneOf(JsonGenerators.mutationsOf(valid), JsonGenerators.values(3));
  }

  /** One request with a body (Content-Length set), read within the timeout. */
  private static RawHttp.Reply send(String requestLine, String body, String headers)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String request =
        requestLine
            + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
            + headers
            + "Content-Length: "
            + bytes.length
            + "\r\n\r\n"
            + new String(bytes, StandardCharsets.ISO_8859_1);
    return RawHttp.send(server.port(), request, false);
  }

  private static String header(RawHttp.Reply r, String name) {
    for (String line : r.head().split("\r\n")) {
      if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
        return line.substring(name.length() + 1).strip();
      }
    }
    throw new AssertionError("no " + name + " in " + r.head());
  }
}
