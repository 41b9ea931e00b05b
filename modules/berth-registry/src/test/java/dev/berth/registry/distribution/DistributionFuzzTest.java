package dev.berth.registry.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.http.Json;
import dev.berth.registry.blob.Digest;
import dev.berth.registry.testing.JsonArbitraries;
import dev.berth.testing.RawHttp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random requests to the distribution API over real HTTP on loopback — paths from the route
 * vocabulary with hostile segments and escapes, random queries, {@code Content-Range} headers and
 * manifest bodies — are each answered within seconds and never with a 5xx.
 */
class DistributionFuzzTest {

  private static final String OCI = "application/vnd.oci.image.manifest.v1+json";
  private static Path dir;
  private static RegistryServer server;

  @BeforeContainer
  static void start() throws Exception {
    dir = Files.createTempDirectory("distribution-fuzz");
    server = new RegistryServer(dir);
    // Something to find: a repository with a blob, so that deeper code paths run.
    send("POST /v2/app/blobs/uploads/?digest=" + Digest.sha256(new byte[] {1}), "\u0001", "");
  }

  @AfterContainer
  static void stop() throws Exception {
    server.close();
  }

  @Property(tries = 400)
  void randomRequestsAreNever5xx(
      @ForAll("methods") String method,
      @ForAll("paths") String path,
      @ForAll("queries") String query,
      @ForAll("headers") String headers)
      throws Exception {
    RawHttp.Reply r = send(method + " " + path + query, "", headers);
    assertThat(r.status()).as("%s %s%s → %s", method, path, query, r.body()).isBetween(100, 499);
  }

  @Property(tries = 300)
  void aContentRangeIsEither202Or416(@ForAll("ranges") String range) throws Exception {
    RawHttp.Reply start = send("POST /v2/app/blobs/uploads/", "", "");
    String location = header(start, "Location");
    RawHttp.Reply r = send("PATCH " + location, "abc", "Content-Range: " + range + "\r\n");
    assertThat(r.status()).as("Content-Range %s → %s", range, r.body()).isIn(202, 400, 416);
  }

  @Property(tries = 300)
  void randomManifestsAreRefusedWithA4xx(@ForAll("manifests") JsonNode manifest) throws Exception {
    RawHttp.Reply r =
        send("PUT /v2/app/manifests/fuzz", manifest.toString(), "Content-Type: " + OCI + "\r\n");
    assertThat(r.status()).as("%s → %s", manifest, r.body()).isBetween(200, 499);
  }

  @Provide
  Arbitrary<String> methods() {
    return Arbitraries.of("GET", "HEAD", "PUT", "POST", "PATCH", "DELETE");
  }

  @Provide
  Arbitrary<String> paths() {
    Arbitrary<String> segment =
        Arbitraries.frequencyOf(
            Tuple.of(
                6,
                Arbitraries.of(
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
            Tuple.of(
                2,
                Arbitraries.of(
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
            Tuple.of(
                1,
                Arbitraries.strings()
                    .withCharRange('!', '~')
                    .ofMinLength(1)
                    .ofMaxLength(12)
                    .map(s -> s.replace("/", "").replace("?", "").replace("#", "").replace(" ", ""))
                    .filter(s -> !s.isEmpty())));
    Arbitrary<String> random =
        Combinators.combine(
                Arbitraries.of("/v2/", "/acr/v1/", "/"), segment.list().ofMinSize(0).ofMaxSize(5))
            .as((prefix, parts) -> prefix + String.join("/", parts));
    // The routes' own shapes, so that most requests reach a handler and its parsing.
    Arbitrary<String> name =
        Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just("app")), Tuple.of(1, segment));
    Arbitrary<String> routed =
        Combinators.combine(
                Arbitraries.of(
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
                    "/acr/v1/N/_manifests/R"),
                name,
                Arbitraries.frequencyOf(
                    Tuple.of(1, Arbitraries.just("latest")), Tuple.of(3, segment)))
            .as((template, n, r) -> template.replace("N", n).replace("R", r));
    return Arbitraries.frequencyOf(Tuple.of(1, random), Tuple.of(3, routed));
  }

  @Provide
  Arbitrary<String> queries() {
    Arbitrary<String> pair =
        Combinators.combine(
                Arbitraries.of("n", "last", "digest", "mount", "from", "tag", "orderby", "%zz"),
                Arbitraries.of(
                    "",
                    "1",
                    "-1",
                    "99999999999999999999",
                    "%zz",
                    "%",
                    "sha256:xyz",
                    "app",
                    "a%2F..%2Fb",
                    "%E2%82"))
            .as((k, v) -> k + "=" + v);
    return Arbitraries.oneOf(
        Arbitraries.just(""),
        pair.list().ofMinSize(1).ofMaxSize(3).map(l -> "?" + String.join("&", l)));
  }

  @Provide
  Arbitrary<String> headers() {
    return Arbitraries.of(
            "",
            "Content-Range: 0-99999999999999999999\r\n",
            "Content-Range: 5-2\r\n",
            "Content-Type: " + OCI + "\r\n",
            "Accept: */*\r\n",
            "Authorization: Basic %%%\r\n")
        .list()
        .ofMaxSize(2)
        .map(l -> String.join("", l));
  }

  @Provide
  Arbitrary<String> ranges() {
    return Arbitraries.oneOf(
        Combinators.combine(
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(30),
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(30))
            .as((a, b) -> a + "-" + b),
        Arbitraries.of("0-2", "bytes 0-2", "0-2/3", "-1-2", "0--1", "", " ", "0-", "a-b"));
  }

  @Provide
  Arbitrary<JsonNode> manifests() throws IOException {
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
    return Arbitraries.oneOf(JsonArbitraries.mutationsOf(valid), JsonArbitraries.values(3));
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
