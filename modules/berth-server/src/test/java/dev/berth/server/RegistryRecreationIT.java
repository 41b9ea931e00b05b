package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cli.BerthCli;
import dev.berth.cli.CliEnvironment;
import dev.berth.registry.distribution.GarbageCollector;
import dev.berth.registry.testing.OciLayouts;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry name is unique only while its registry lives. Tenant A pushes to {@code reuseacr} and
 * deletes it with {@code berth acr delete}; tenant B, in another group, creates {@code reuseacr}:
 * B's catalog is empty, A's tag answers 404, and after a collection A's bytes are gone from disk.
 */
@Timeout(300)
class RegistryRecreationIT {

  @RegisterExtension static final RunningBerth BERTH = new RunningBerth();

  @TempDir static Path home;

  private static void berth(String... args) {
    CliEnvironment env =
        CliEnvironment.of(
            Map.of(
                "BERTH_DATA_DIR",
                BERTH.dataDir().toString(),
                "BERTH_CONFIG_DIR",
                home.resolve("config").toString()),
            home,
            Clock.systemUTC());
    var cli = BerthCli.commandLine(env);
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(new StringWriter(), true));
    cli.setErr(new PrintWriter(err, true));
    assertThat(cli.execute(args)).as(String.join(" ", args) + ": " + err).isZero();
  }

  private static Path image(String name, int size, long seed) throws Exception {
    Path layout = Files.createTempDirectory(BERTH.dataDir(), name);
    byte[] content = new byte[size];
    new Random(seed).nextBytes(content);
    OciLayouts.write(layout, "v1", List.of(new OciLayouts.File("data.bin", content, 0644, null)));
    return layout;
  }

  private static List<Path> files(String under) throws Exception {
    Path root = BERTH.dataDir().resolve(under);
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(Files::isRegularFile).toList();
    }
  }

  /** A data-plane GET as a Docker client makes it: a token for {@code scope}, then the call. */
  private static HttpResponse<String> get(
      String server, String creds, String scope, String path, HttpClient http) throws Exception {
    String query =
        "service="
            + URLEncoder.encode(server, StandardCharsets.UTF_8)
            + "&scope="
            + URLEncoder.encode(scope, StandardCharsets.UTF_8);
    String basic = Base64.getEncoder().encodeToString(creds.getBytes(StandardCharsets.UTF_8));
    var token =
        http.send(
            HttpRequest.newBuilder(URI.create("https://" + server + "/oauth2/token?" + query))
                .header("Authorization", "Basic " + basic)
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
    String bearer = Https.JSON.readTree(token.body()).path("access_token").asText();
    return http.send(
        HttpRequest.newBuilder(URI.create("https://" + server + path))
            .header("Authorization", "Bearer " + bearer)
            .header("Accept", "application/vnd.oci.image.manifest.v1+json")
            .timeout(Duration.ofSeconds(30))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String code(HttpResponse<String> r) throws Exception {
    return Https.JSON.readTree(r.body()).at("/errors/0/code").asText();
  }

  @Test
  void aRegistryCreatedAgainUnderADeletedOnesNameSeesNothingOfItAndItsBytesGo() throws Exception {
    berth("login");
    HttpClient http = HttpClient.newBuilder().sslContext(Https.trusting(BERTH.caFile())).build();
    RegistryFixture fx = new RegistryFixture(BERTH);

    String first = fx.createRegistry("tenanta", "reuseacr", "{\"adminUserEnabled\":true}");
    String serverA = fx.loginServer(first);
    String credsA = "reuseacr:" + fx.adminPassword(first);
    assertThat(fx.push(image("a", 2 << 20, 7), serverA, credsA, "team/app:v1").exit()).isZero();
    var manifest =
        get(serverA, credsA, "repository:team/app:pull", "/v2/team/app/manifests/v1", http);
    assertThat(manifest.statusCode()).isEqualTo(200);
    String digest = manifest.headers().firstValue("Docker-Content-Digest").orElseThrow();
    List<Path> blobsOfA = files("registry/blobs");
    assertThat(blobsOfA).hasSize(3); // manifest, config, layer
    assertThat(files("registry/registries")).isNotEmpty();

    berth("acr", "delete", "-n", "reuseacr", "-g", "tenanta", "--yes");
    assertThat(fx.registry(first).path("error").path("code").asText())
        .isEqualTo("ResourceNotFound");

    String second = fx.createRegistry("tenantb", "reuseacr", "{\"adminUserEnabled\":true}");
    String serverB = fx.loginServer(second);
    String credsB = "reuseacr:" + fx.adminPassword(second);

    var catalog = get(serverB, credsB, "registry:catalog:*", "/v2/_catalog", http);
    assertThat(catalog.statusCode()).as(catalog.body()).isEqualTo(200);
    assertThat(Https.JSON.readTree(catalog.body()).path("repositories").toString()).isEqualTo("[]");
    for (String reference : List.of("v1", digest)) {
      var pull =
          get(
              serverB,
              credsB,
              "repository:team/app:pull",
              "/v2/team/app/manifests/" + reference,
              http);
      assertThat(pull.statusCode()).as(pull.body()).isEqualTo(404);
      assertThat(code(pull)).isIn("NAME_UNKNOWN", "MANIFEST_UNKNOWN");
    }
    var tags = get(serverB, credsB, "repository:team/app:pull", "/v2/team/app/tags/list", http);
    assertThat(tags.statusCode()).isEqualTo(404);
    assertThat(code(tags)).isEqualTo("NAME_UNKNOWN");

    // The delete removed A's repositories at once; the bytes wait for the collector.
    assertThat(files("registry/registries")).isEmpty();
    GarbageCollector.Report report = BERTH.server().housekeeping().collectGarbage(Duration.ZERO);
    assertThat(report.blobsDeleted()).isEqualTo(3);
    assertThat(report.bytesFreed()).isGreaterThan(2 << 20);
    for (Path blob : blobsOfA) {
      assertThat(blob).doesNotExist();
    }
    assertThat(files("registry/blobs")).isEmpty();
  }
}
