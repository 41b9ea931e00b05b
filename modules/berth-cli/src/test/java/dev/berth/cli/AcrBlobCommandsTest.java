package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cli.CliHarness.Result;
import dev.berth.client.FakeBerth;
import dev.berth.client.FakeBerth.Response;
import dev.berth.client.RegistryBlobs;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AcrBlobCommandsTest extends SignedInTest {

  static final String CONTENT = "hello blob";

  FakeAcr acr;
  Path file;
  String digest;

  @BeforeEach
  void start() throws Exception {
    acr = new FakeAcr(cli).onArm().onLoginServer();
    file = root.resolve("blob.txt");
    Files.writeString(file, CONTENT);
    digest = RegistryBlobs.digest(file);
  }

  @Test
  void pushUploadsTheFileInOneRequestToTheUploadLocationWithItsDigest() {
    String pushScope = "repository:api:pull,push";
    acr.onDataPlane(
        "HEAD", "/v2/api/blobs/" + digest, "repository:api:pull", Response.json(404, ""));
    acr.onDataPlane(
        "POST",
        "/v2/api/blobs/uploads/",
        pushScope,
        Response.json(202, "").with("Location", "/v2/api/blobs/uploads/u1?_state=s1"));
    acr.onDataPlane("PUT", "/v2/api/blobs/uploads/u1", pushScope, Response.json(201, ""));

    Result result = push();

    assertThat(result.exit()).as(result.err()).isZero();
    FakeBerth.Request put = cli.berth.requests("PUT", "/v2/api/blobs/uploads/u1").get(0);
    assertThat(put.query()).isEqualTo("_state=s1&digest=" + digest);
    assertThat(put.body()).isEqualTo(CONTENT);
    assertThat(result.json().path("digest").asText()).isEqualTo(digest);
    assertThat(result.json().path("size").asLong()).isEqualTo(CONTENT.length());
    assertThat(result.err()).contains("Pushing " + digest + ": 100% (10/10 bytes)");
  }

  @Test
  void pushSkipsABlobTheRegistryHas() {
    acr.onDataPlane(
        "HEAD", "/v2/api/blobs/" + digest, "repository:api:pull", Response.json(200, ""));

    Result result = push();

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.err()).contains("already exists");
    assertThat(cli.berth.requests("POST", "/v2/api/blobs/uploads/")).isEmpty();
  }

  @Test
  void pullFollowsTheStorageRedirectWithoutTheRegistryToken() throws Exception {
    acr.onDataPlane(
        "GET",
        "/v2/api/blobs/" + digest,
        "repository:api:pull",
        Response.json(307, "")
            .with("Location", "https://" + acr.loginServer + "/storage/b1?sig=x"));
    cli.berth.on("GET", "/storage/b1", r -> Response.json(200, CONTENT));
    Path target = root.resolve("out/blob");

    Result result = pull(target);

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(Files.readString(target)).isEqualTo(CONTENT);
    assertThat(cli.berth.requests("GET", "/storage/b1").get(0).header("Authorization")).isNull();
    assertThat(result.err()).contains("Pulling " + digest + ": 100%");
  }

  @Test
  void pullRefusesContentWhoseDigestDiffers() {
    acr.onDataPlane(
        "GET", "/v2/api/blobs/" + digest, "repository:api:pull", Response.json(200, "tampered"));
    Path target = root.resolve("blob.out");

    Result result = pull(target);

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).contains("\nERROR: (DIGEST_INVALID) The blob's content has digest");
    assertThat(target).doesNotExist();
  }

  @Test
  void pullOfAnUnknownBlobPrintsTheRegistryError() {
    acr.onDataPlane(
        "GET",
        "/v2/api/blobs/" + digest,
        "repository:api:pull",
        Response.json(
            404,
            "{\"errors\":[{\"code\":\"BLOB_UNKNOWN\",\"message\":\"blob unknown to registry\"}]}"));

    Result result = pull(root.resolve("x"));

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).isEqualTo("ERROR: (BLOB_UNKNOWN) blob unknown to registry\n");
  }

  private Result push() {
    return cli.run("acr", "push", "-n", "myacr", "--repository", "api", "--file", file.toString());
  }

  private Result pull(Path target) {
    return cli.run(
        "acr",
        "pull",
        "-n",
        "myacr",
        "--repository",
        "api",
        "--digest",
        digest,
        "--file",
        target.toString());
  }
}
