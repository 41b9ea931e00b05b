package dev.berth.cli;

import static dev.berth.cli.CliHarness.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.cli.CliHarness.Result;
import dev.berth.client.FakeBerth;
import dev.berth.client.FakeBerth.Response;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AcrLoginCommandTest extends SignedInTest {

  static final String NULL_GUID = "00000000-0000-0000-0000-000000000000";
  static final String ENTRA_TOKEN = "/" + TENANT + "/oauth2/v2.0/token";

  FakeAcr acr;

  @BeforeEach
  void start() {
    acr = new FakeAcr(cli).onArm().onLoginServer();
  }

  private String managementScope() {
    return cli.berth.endpoint().toString().replaceAll("/$", "") + "/.default";
  }

  @Test
  void exposeTokenExchangesTheArmTokenAndPrintsTheRefreshToken() throws Exception {
    Result result = cli.run("acr", "login", "-n", "myacr", "--expose-token");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(cli.berth.requests("GET", "/v2/")).hasSize(1);
    FakeBerth.Request exchange = cli.berth.requests("POST", "/oauth2/exchange").get(0);
    assertThat(exchange.header("Content-Type")).startsWith("application/x-www-form-urlencoded");
    // The profile's cached management token (token-1 from `berth login`) is the ARM-audience one.
    assertThat(exchange.form())
        .containsExactly(
            Map.entry("grant_type", "access_token"),
            Map.entry("service", acr.loginServer),
            Map.entry("tenant", TENANT),
            Map.entry("access_token", "token-1"));
    assertThat(cli.berth.requests("POST", ENTRA_TOKEN)).hasSize(1); // only the login's
    assertThat(result.json())
        .isEqualTo(
            new ObjectMapper()
                .readTree(
                    "{\"accessToken\":\"%s\",\"loginServer\":\"%s\",\"username\":\"%s\"}"
                        .formatted(FakeAcr.REFRESH_TOKEN, acr.loginServer, NULL_GUID)));
    assertThat(result.err())
        .contains("skopeo login -u " + NULL_GUID + " -p <accessToken> " + acr.loginServer)
        .contains("--cert-dir")
        .contains("REGISTRY_AUTH_FILE");
  }

  @Test
  void registryRefusingArmTokensGetsAnAcrAudienceToken() {
    acr.policies = "{\"azureADAuthenticationAsArmPolicy\":{\"status\":\"disabled\"}}";

    Result result = cli.run("acr", "login", "-n", "myacr", "--expose-token");

    assertThat(result.exit()).as(result.err()).isZero();
    List<FakeBerth.Request> tokens = cli.berth.requests("POST", ENTRA_TOKEN);
    assertThat(tokens).hasSize(2);
    assertThat(tokens.get(0).form().get("scope")).isEqualTo(managementScope());
    assertThat(tokens.get(1).form().get("scope"))
        .isEqualTo("https://containerregistry.azure.net/.default");
    assertThat(cli.berth.requests("POST", "/oauth2/exchange").get(0).form().get("access_token"))
        .isEqualTo("token-2");
  }

  @Test
  void audienceAcrAsksForTheAcrAudienceEvenWhenArmIsAllowed() {
    Result result = cli.run("acr", "login", "-n", "myacr", "-t", "--audience", "acr");
    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(cli.berth.requests("POST", ENTRA_TOKEN).get(1).form().get("scope"))
        .isEqualTo("https://containerregistry.azure.net/.default");
  }

  @Test
  void loginWritesAPrivateContainersAuthFileKeepingOtherEntries() throws Exception {
    Path authFile = root.resolve("auth/auth.json");
    Files.createDirectories(authFile.getParent());
    Files.writeString(authFile, "{\"auths\":{\"quay.io\":{\"auth\":\"eDp5\"}}}");
    cli.variables.put("REGISTRY_AUTH_FILE", authFile.toString());

    Result result = cli.run("acr", "login", "-n", "myacr");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out()).isEqualTo("Login Succeeded\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(authFile)))
        .isEqualTo("rw-------");
    JsonNode auths = JSON.readTree(authFile.toFile()).path("auths");
    assertThat(auths.path("quay.io").path("auth").asText()).isEqualTo("eDp5");
    JsonNode entry = auths.path(acr.loginServer);
    assertThat(
            new String(
                Base64.getDecoder().decode(entry.path("auth").asText()), StandardCharsets.UTF_8))
        .isEqualTo(NULL_GUID + ":" + FakeAcr.REFRESH_TOKEN);
    assertThat(entry.path("identitytoken").asText()).isEqualTo(FakeAcr.REFRESH_TOKEN);
  }

  @Test
  void loginWithoutAuthFileVariableUsesTheContainersConfigDirectory() {
    Result result = cli.run("acr", "login", "-n", "myacr");
    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(cli.home.resolve(".config/containers/auth.json")).exists();
  }

  @Test
  void forbiddenLoginServerSaysTheNetworkRulesRefuseThisClient() {
    cli.berth.on(
        "GET",
        "/v2/",
        r ->
            Response.json(
                403,
                "{\"errors\":[{\"code\":\"DENIED\",\"message\":\"client with IP '127.0.0.1' is"
                    + " not allowed access.\"}]}"));

    Result result = cli.run("acr", "login", "-n", "myacr", "--expose-token");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err())
        .startsWith("ERROR: Looks like you don't have access to registry '" + acr.loginServer)
        .contains("DENIED: client with IP '127.0.0.1' is not allowed access.")
        .contains("berth acr network-rule list -n myacr");
    assertThat(cli.berth.requests("POST", "/oauth2/exchange")).isEmpty();
  }

  @Test
  void unreachableLoginServerSaysWhichUrlFailed() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String server = "localhost:" + closedPort;
    cli.berth.on(
        "GET", acr.id, r -> Response.json(200, acr.json().replace(acr.loginServer, server)));

    Result result = cli.run("acr", "login", "-n", "myacr", "--expose-token");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err())
        .startsWith("ERROR: Could not connect to the registry login server '" + server + "'");
  }

  @Test
  void refusedExchangePrintsTheRegistryErrorEnvelope() {
    cli.berth.on(
        "POST",
        "/oauth2/exchange",
        r ->
            Response.json(
                401,
                "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"token validation failed\","
                    + "\"detail\":null}]}"));

    Result result = cli.run("acr", "login", "-n", "myacr", "--expose-token");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).isEqualTo("ERROR: (UNAUTHORIZED) token validation failed\n");
    assertThat(result.out()).isEmpty();
  }

  @Test
  void repositoryListGetsAnAccessTokenForTheChallengedScopeAndRetries() throws Exception {
    acr.onDataPlane(
        "GET",
        "/acr/v1/_catalog",
        "registry:catalog:*",
        Response.json(200, "{\"repositories\":[\"api\",\"team/web\"]}"));

    Result result = cli.run("acr", "repository", "list", "-n", "myacr");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.json()).isEqualTo(json("[\"api\",\"team/web\"]"));
    assertThat(cli.berth.requests("GET", "/acr/v1/_catalog")).hasSize(2);
    assertThat(cli.berth.requests("POST", "/oauth2/token").get(0).form())
        .containsExactly(
            Map.entry("grant_type", "refresh_token"),
            Map.entry("service", acr.loginServer),
            Map.entry("scope", "registry:catalog:*"),
            Map.entry("refresh_token", FakeAcr.REFRESH_TOKEN));
  }

  @Test
  void repositoryListFollowsTheLinkHeader() {
    String scope = "registry:catalog:*";
    acr.onDataPlane(
        "GET",
        "/acr/v1/_catalog",
        scope,
        Response.json(200, "{\"repositories\":[\"a\"]}")
            .with("Link", "</acr/v1/_catalog2?last=a&n=1>; rel=\"next\""));
    acr.onDataPlane(
        "GET", "/acr/v1/_catalog2", scope, Response.json(200, "{\"repositories\":[\"b\"]}"));

    Result result = cli.run("acr", "repository", "list", "-n", "myacr", "-o", "table");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out()).isEqualTo("Result\n------\na\nb\n");
    assertThat(cli.berth.requests("GET", "/acr/v1/_catalog2").get(0).query())
        .isEqualTo("last=a&n=1");
  }

  @Test
  void showTagsPrintsNamesOrDetails() {
    String tags =
        """
        {"registry":"r","imageName":"team/web","tags":[
          {"name":"v1","digest":"sha256:aa","lastUpdateTime":"2026-01-01T00:00:00Z"},
          {"name":"latest","digest":"sha256:bb","lastUpdateTime":"2026-01-02T00:00:00Z"}]}""";
    acr.onDataPlane(
        "GET",
        "/acr/v1/team/web/_tags",
        "repository:team/web:metadata_read",
        Response.json(200, tags));

    Result names =
        cli.run("acr", "repository", "show-tags", "-n", "myacr", "--repository", "team/web");
    assertThat(names.exit()).as(names.err()).isZero();
    assertThat(names.out()).isEqualTo("[\n  \"v1\",\n  \"latest\"\n]\n");

    Result detail =
        cli.run(
            "acr",
            "repository",
            "show-tags",
            "-n",
            "myacr",
            "--repository",
            "team/web",
            "--detail");
    assertThat(detail.json().path(1).path("digest").asText()).isEqualTo("sha256:bb");
  }

  @Test
  void repositoryDeleteAndUntagUseTheDeleteScope() {
    acr.onDataPlane(
        "DELETE",
        "/acr/v1/api",
        "repository:api:delete",
        Response.json(202, "{\"manifestsDeleted\":[\"sha256:aa\"],\"tagsDeleted\":[\"v1\"]}"));
    acr.onDataPlane(
        "DELETE", "/acr/v1/api/_tags/v1", "repository:api:delete", Response.json(202, ""));

    Result deleted =
        cli.run("acr", "repository", "delete", "-n", "myacr", "--repository", "api", "--yes");
    assertThat(deleted.exit()).as(deleted.err()).isZero();
    assertThat(deleted.json().path("tagsDeleted").path(0).asText()).isEqualTo("v1");

    Result untagged = cli.run("acr", "repository", "untag", "-n", "myacr", "--image", "api:v1");
    assertThat(untagged.exit()).as(untagged.err()).isZero();
    assertThat(cli.berth.requests("DELETE", "/acr/v1/api/_tags/v1")).hasSize(2);
  }

  @Test
  void unknownRepositoryPrintsTheRegistryErrorCode() {
    acr.onDataPlane(
        "GET",
        "/acr/v1/nope/_tags",
        "repository:nope:metadata_read",
        Response.json(
            404,
            "{\"errors\":[{\"code\":\"NAME_UNKNOWN\",\"message\":\"repository name not known to"
                + " registry\",\"detail\":{\"name\":\"nope\"}}]}"));

    Result result =
        cli.run("acr", "repository", "show-tags", "-n", "myacr", "--repository", "nope");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err())
        .isEqualTo("ERROR: (NAME_UNKNOWN) repository name not known to registry\n");
  }
}
