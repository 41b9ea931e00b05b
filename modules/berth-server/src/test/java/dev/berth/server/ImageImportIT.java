package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.identity.BuiltInRoles;
import dev.berth.registry.blob.Digest;
import dev.berth.registry.testing.OciLayouts;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images get into a registry with Berth alone: {@code berth acr import} pushes an OCI layout and a
 * {@code docker save} archive, and ACR's {@code importImage} — as {@code az acr import} sends it,
 * long-running, from another registry with its credentials — copies an image between registries
 * (both Berth's, on loopback). skopeo, a real client, then pulls what was imported.
 */
@Timeout(300)
class ImageImportIT {

  @RegisterExtension static final RunningBerth BERTH = new RunningBerth();

  @TempDir static Path home;

  static RegistryFixture fx;
  static String source;
  static String target;
  static String sourceServer;
  static String sourceCreds;
  static String sourcePassword;

  @BeforeAll
  static void registries() throws Exception {
    assertThat(berth("login").exit()).isZero();
    fx = new RegistryFixture(BERTH);
    source = fx.createRegistry("imports", "srcacr", "{\"adminUserEnabled\":true}");
    target = fx.createRegistry("imports", "dstacr", "{\"adminUserEnabled\":true}");
    sourceServer = fx.loginServer(source);
    sourcePassword = fx.adminPassword(source);
    sourceCreds = "srcacr:" + sourcePassword;
  }

  private static CliRun berth(String... args) {
    return CliRun.of(BERTH.dataDir(), home, args);
  }

  @Test
  void anOciLayoutIsImportedWithTheCli() throws Exception {
    Path layout = Files.createTempDirectory(BERTH.dataDir(), "layout");
    String digest = OciLayouts.write(layout, "v1", List.of(OciLayouts.File.of("hello.txt", "hi")));

    CliRun run =
        berth("acr", "import", "-n", "srcacr", "--source", layout + ":v1", "-t", "team/app:v1");

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("srcacr/team/app:v1").contains(digest);
    assertThat(pulledDigest(sourceServer, sourceCreds, "team/app:v1")).isEqualTo(digest);
  }

  @Test
  void aDockerArchiveIsImportedWithTheCliUnderItsOwnTag() throws Exception {
    Path archive = dockerArchive("localhost:5000/arch/app:v2", "from docker save");

    CliRun run = berth("acr", "import", "-n", "srcacr", "--source", archive.toString());

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("srcacr/arch/app:v2");
    Path pulled = Files.createTempDirectory(BERTH.dataDir(), "pulled");
    var copy =
        fx.skopeo(
            "copy",
            "--src-cert-dir",
            fx.certDir.toString(),
            "--src-creds",
            sourceCreds,
            "docker://" + sourceServer + "/arch/app:v2",
            "oci:" + pulled + ":v2");
    assertThat(copy.exit()).as(copy.output()).isZero();
  }

  @Test
  void importImageCopiesFromAnotherRegistryAsALongRunningOperation() throws Exception {
    Path layout = Files.createTempDirectory(BERTH.dataDir(), "layout");
    String digest =
        OciLayouts.write(layout, "v1", List.of(OciLayouts.File.of("copy.txt", "copied")));
    assertThat(fx.push(layout, sourceServer, sourceCreds, "base/img:1.0").exit()).isZero();

    // The body az acr import sends for --source <server>/base/img:1.0 -u -p -t copied/img:1.0
    String body =
        "{\"source\":{\"registryUri\":\""
            + sourceServer
            + "\",\"sourceImage\":\"base/img:1.0\",\"credentials\":{\"username\":\"srcacr\","
            + "\"password\":\""
            + sourcePassword
            + "\"}},\"targetTags\":[\"copied/img:1.0\"],\"mode\":\"NoForce\"}";
    HttpResponse<String> started = importImage(body);

    assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
    assertThat(started.headers().firstValue("Location")).isPresent();
    JsonNode done = poll(started);
    assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("Succeeded");
    var result =
        fx.https.send("GET", path(started.headers().firstValue("Location").get()), fx.owner, null);
    assertThat(result.statusCode()).isEqualTo(200);
    String targetCreds = "dstacr:" + fx.adminPassword(target);
    assertThat(pulledDigest(fx.loginServer(target), targetCreds, "copied/img:1.0"))
        .isEqualTo(digest);

    // NoForce: the tag exists now, so the same import fails, as in ACR; Force moves it.
    JsonNode again = poll(importImage(body));
    assertThat(again.path("status").asText()).isEqualTo("Failed");
    assertThat(again.path("error").path("code").asText()).isEqualTo("Conflict");
    JsonNode forced = poll(importImage(body.replace("NoForce", "Force")));
    assertThat(forced.path("status").asText()).as(forced.toString()).isEqualTo("Succeeded");
  }

  @Test
  void anImportWithWrongCredentialsFailsSayingSo() throws Exception {
    String body =
        "{\"source\":{\"registryUri\":\""
            + sourceServer
            + "\",\"sourceImage\":\"team/app:v1\",\"credentials\":{\"username\":\"srcacr\","
            + "\"password\":\"wrong\"}},\"targetTags\":[\"nope/app:v1\"]}";
    JsonNode failed = poll(importImage(body));

    assertThat(failed.path("status").asText()).isEqualTo("Failed");
    assertThat(failed.path("error").path("code").asText()).isEqualTo("BadRequest");
    assertThat(failed.path("error").path("message").asText())
        .contains("refused the credentials")
        .doesNotContain("wrong");
  }

  @Test
  void aMalformedImportIsRefusedAtOnceInArmsEnvelope() throws Exception {
    HttpResponse<String> r =
        importImage("{\"source\":{\"registryUri\":\"https://x/y\",\"sourceImage\":\"a:b\"}}");

    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode error = Https.json(r).path("error");
    assertThat(error.path("code").asText()).isEqualTo("InvalidParameter");
    assertThat(error.path("target").asText()).isEqualTo("source.registryUri");
  }

  @Test
  void theCliImportsFromARegistryThroughImportImage() throws Exception {
    Path layout = Files.createTempDirectory(BERTH.dataDir(), "layout");
    String digest = OciLayouts.write(layout, "v1", List.of(OciLayouts.File.of("cli.txt", "cli")));
    assertThat(fx.push(layout, sourceServer, sourceCreds, "cli/img:v3").exit()).isZero();

    CliRun run =
        berth(
            "acr",
            "import",
            "-n",
            "dstacr",
            "--source",
            sourceServer + "/cli/img:v3",
            "-u",
            "srcacr",
            "-p",
            sourcePassword);

    assertThat(run.exit()).as(run.err()).isZero();
    String targetCreds = "dstacr:" + fx.adminPassword(target);
    assertThat(pulledDigest(fx.loginServer(target), targetCreds, "cli/img:v3")).isEqualTo(digest);
  }

  @Test
  void theCliImportsFromABerthRegistryWithoutALoginByItsResourceIdAsAzDoes() throws Exception {
    Path layout = Files.createTempDirectory(BERTH.dataDir(), "layout");
    String digest = OciLayouts.write(layout, "v1", List.of(OciLayouts.File.of("id.txt", "id")));
    assertThat(fx.push(layout, sourceServer, sourceCreds, "cli/byid:1").exit()).isZero();

    // No -u/-p, and the source allows no anonymous pull: the caller's own right to pull counts.
    CliRun run = berth("acr", "import", "-n", "dstacr", "--source", sourceServer + "/cli/byid:1");

    assertThat(run.exit()).as(run.err()).isZero();
    String targetCreds = "dstacr:" + fx.adminPassword(target);
    assertThat(pulledDigest(fx.loginServer(target), targetCreds, "cli/byid:1")).isEqualTo(digest);
  }

  @Test
  void importImageFromAResourceIdCopiesABerthRegistryInPlace() throws Exception {
    Path layout = Files.createTempDirectory(BERTH.dataDir(), "layout");
    String digest = OciLayouts.write(layout, "v1", List.of(OciLayouts.File.of("byid.txt", "id")));
    assertThat(fx.push(layout, sourceServer, sourceCreds, "byid/img:1").exit()).isZero();

    // What az acr import sends for --source <login server>/byid/img:1 without -u/-p when it finds
    // the source registry in the subscription: its resource id, no credentials.
    JsonNode done = poll(importImage(byResourceId("byid/img:1", "byid/copy:1")));

    assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("Succeeded");
    String targetCreds = "dstacr:" + fx.adminPassword(target);
    assertThat(pulledDigest(fx.loginServer(target), targetCreds, "byid/copy:1")).isEqualTo(digest);
    JsonNode missing = poll(importImage(byResourceId("byid/img:nope", "byid/copy:2")));
    assertThat(missing.path("status").asText()).isEqualTo("Failed");
    assertThat(missing.at("/error/message").asText()).contains("has no manifest nope");
  }

  @Test
  void importingFromAResourceIdTakesTheRightToPullFromIt() throws Exception {
    Path layout = Files.createTempDirectory(BERTH.dataDir(), "layout");
    OciLayouts.write(layout, "v1", List.of(OciLayouts.File.of("rights.txt", "rights")));
    assertThat(fx.push(layout, sourceServer, sourceCreds, "rights/img:1").exit()).isZero();
    Principals principals = new Principals(fx.https, BERTH.bootstrap(), fx.owner);
    // Contributor on the target registry only: may import into it, may not read the source.
    Principals.Created importer = principals.withRole(Principals.CONTRIBUTOR, target);
    String body = byResourceId("rights/img:1", "rights/copy:1");

    assertThat(linkedRefusal(importImage(body, importer.token())))
        .contains("Microsoft.ContainerRegistry/registries/pull/read")
        .contains(source);

    principals.grant(RegistryFixture.ACR_PULL, importer.principalId(), source);
    JsonNode done = poll(importImage(body, importer.token()));
    assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("Succeeded");
  }

  @Test
  void anAbacSourceIsReadOnlyThroughTheRolesItsDataPlaneHonours() throws Exception {
    String abac =
        fx.createRegistry(
            "imports",
            "abacacr",
            "{\"adminUserEnabled\":true,\"roleAssignmentMode\":\"AbacRepositoryPermissions\"}");
    Path layout = Files.createTempDirectory(BERTH.dataDir(), "layout");
    OciLayouts.write(layout, "v1", List.of(OciLayouts.File.of("abac.txt", "abac")));
    String creds = "abacacr:" + fx.adminPassword(abac);
    assertThat(fx.push(layout, fx.loginServer(abac), creds, "team/app:1").exit()).isZero();
    assertThat(fx.push(layout, fx.loginServer(abac), creds, "team/other:1").exit()).isZero();
    Principals principals = new Principals(fx.https, BERTH.bootstrap(), fx.owner);
    Principals.Created importer = principals.withRole(Principals.CONTRIBUTOR, target);
    // AcrPull gives no pull in ABAC mode: nor may it give an import, which reads as a pull does.
    principals.grant(RegistryFixture.ACR_PULL, importer.principalId(), abac);
    String body =
        "{\"source\":{\"resourceId\":\""
            + abac
            + "\",\"sourceImage\":\"team/app:1\"},\"targetTags\":[\"abaccopy:1\"]}";

    assertThat(linkedRefusal(importImage(body, importer.token())))
        .contains("may not pull 'team/app' from registry 'abacacr'");

    // A repository role limited to this repository lets it be imported, and no other.
    principals.grantWithCondition(
        BuiltInRoles.REPOSITORY_READER,
        importer.principalId(),
        abac,
        "@Request[Microsoft.ContainerRegistry/registries/repositories:name]"
            + " StringEqualsIgnoreCase 'team/app'");
    HttpResponse<String> other =
        importImage(body.replace("team/app", "team/other"), importer.token());
    assertThat(other.statusCode()).as(other.body()).isEqualTo(403);
    JsonNode done = poll(importImage(body, importer.token()));
    assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("Succeeded");
  }

  @Test
  void aSourceThatAllowsNoExportsIsRefusedNamingTheFix() throws Exception {
    String closed =
        fx.createRegistry(
            "imports", "closedacr", "{\"policies\":{\"exportPolicy\":{\"status\":\"disabled\"}}}");

    HttpResponse<String> r =
        importImage(
            "{\"source\":{\"resourceId\":\""
                + closed
                + "\",\"sourceImage\":\"a:1\"},\"targetTags\":[\"a:1\"]}");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    JsonNode error = Https.json(r).path("error");
    assertThat(error.path("code").asText()).isEqualTo("InvalidParameter");
    assertThat(error.path("target").asText()).isEqualTo("source.resourceId");
    assertThat(error.path("message").asText())
        .contains("az acr update -n closedacr --allow-exports true");
  }

  /** ARM's 403 for a source the caller may not read, at {@code source.resourceId}: its message. */
  private static String linkedRefusal(HttpResponse<String> refused) throws Exception {
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
    JsonNode error = Https.json(refused).path("error");
    assertThat(error.path("code").asText()).isEqualTo("LinkedAuthorizationFailed");
    assertThat(error.path("target").asText()).isEqualTo("source.resourceId");
    return error.path("message").asText();
  }

  private static String byResourceId(String image, String targetTag) {
    return "{\"source\":{\"resourceId\":\""
        + source
        + "\",\"sourceImage\":\""
        + image
        + "\"},\"targetTags\":[\""
        + targetTag
        + "\"],\"mode\":\"NoForce\"}";
  }

  private static HttpResponse<String> importImage(String body) throws Exception {
    return importImage(body, fx.owner);
  }

  private static HttpResponse<String> importImage(String body, String token) throws Exception {
    return fx.https.send(
        "POST", target + "/importImage" + RegistryFixture.REGISTRY_API, token, body);
  }

  /** Polls the operation's Azure-AsyncOperation URL until it ends; the last status document. */
  private static JsonNode poll(HttpResponse<String> started) throws Exception {
    assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
    String status = path(started.headers().firstValue("Azure-AsyncOperation").orElseThrow());
    JsonNode[] last = new JsonNode[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              last[0] = Https.json(fx.https.send("GET", status, fx.owner, null));
              return !last[0].path("status").asText().equals("InProgress");
            });
    return last[0];
  }

  /** The path and query of an absolute URL on the management endpoint. */
  private static String path(String url) {
    return url.substring(BERTH.baseUrl().length());
  }

  private static String pulledDigest(String server, String creds, String ref) throws Exception {
    var inspect = fx.inspect(server, creds, ref);
    assertThat(inspect.exit()).as(inspect.output()).isZero();
    return new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(inspect.output().substring(inspect.output().indexOf('{')))
        .path("Digest")
        .asText();
  }

  /** A {@code docker save} archive: manifest.json, the config, one uncompressed layer. */
  private static Path dockerArchive(String repoTag, String text) throws Exception {
    ByteArrayOutputStream layer = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(layer)) {
      byte[] content = text.getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry e = new TarArchiveEntry("hello.txt");
      e.setSize(content.length);
      tar.putArchiveEntry(e);
      tar.write(content);
      tar.closeArchiveEntry();
    }
    byte[] raw = layer.toByteArray();
    byte[] config =
        ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":"
                + "\"layers\",\"diff_ids\":[\""
                + Digest.sha256(raw)
                + "\"]}}")
            .getBytes(StandardCharsets.UTF_8);
    String configName = Digest.sha256(config).hex() + ".json";
    byte[] manifest =
        ("[{\"Config\":\""
                + configName
                + "\",\"RepoTags\":[\""
                + repoTag
                + "\"],\"Layers\":[\"abc/layer.tar\"]}]")
            .getBytes(StandardCharsets.UTF_8);
    Path archive = Files.createTempFile(BERTH.dataDir(), "image", ".tar");
    try (OutputStream out = Files.newOutputStream(archive);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      for (var entry :
          List.of(
              Map.entry("abc/layer.tar", raw),
              Map.entry(configName, config),
              Map.entry("manifest.json", manifest))) {
        TarArchiveEntry e = new TarArchiveEntry(entry.getKey());
        e.setSize(entry.getValue().length);
        tar.putArchiveEntry(e);
        tar.write(entry.getValue());
        tar.closeArchiveEntry();
      }
    }
    return archive;
  }
}
