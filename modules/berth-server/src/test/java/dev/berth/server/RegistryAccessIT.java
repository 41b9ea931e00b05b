package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.registry.testing.OciLayouts;
import dev.berth.testing.Exec;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may do what in a registry, with real clients and real role assignments: AcrPull pulls but
 * cannot push, AcrPush pushes, an ABAC repository role limited to {@code team-a/} reaches only
 * those repositories, a scope-map token only its repository; and network rules judge the peer
 * address of the connection.
 */
class RegistryAccessIT {

  @RegisterExtension static final RunningBerth BERTH = new RunningBerth();

  private static final String REPOSITORY_READER = "b93aa761-3e63-49ed-ac28-beffa264f7ac";

  @TempDir static Path work;

  private static RegistryFixture acr;
  private static Path layout;

  @BeforeAll
  static void image() throws Exception {
    acr = new RegistryFixture(BERTH);
    layout = work.resolve("layout");
    OciLayouts.write(layout, "v1", List.of(OciLayouts.File.of("hello.txt", "hello\n")));
  }

  private Exec.Result push(String loginServer, String creds, String repo) throws Exception {
    return acr.push(layout, loginServer, creds, repo);
  }

  private Exec.Result pull(String loginServer, String creds, String repo) throws Exception {
    return acr.inspect(loginServer, creds, repo);
  }

  private String tokenCreds(String loginServer, String[] sp) throws Exception {
    return RegistryFixture.NULL_GUID + ":" + acr.refreshToken(loginServer, sp[0], sp[1]);
  }

  @Test
  void acrPullPullsButCannotPushAndAcrPushPushes() throws Exception {
    String id = acr.createRegistry("rbac-rg", "rbacacr", "{\"adminUserEnabled\":true}");
    String server = acr.loginServer(id);
    String admin = "rbacacr:" + acr.adminPassword(id);
    assertThat(push(server, admin, "api:latest").exit()).isZero();

    String pullCreds =
        tokenCreds(server, acr.principalWithRole(RegistryFixture.ACR_PULL, id, null));
    assertThat(pull(server, pullCreds, "api:latest").exit()).isZero();
    var refused = push(server, pullCreds, "api:pushed");
    assertThat(refused.exit()).isNotZero();
    assertThat(refused.output()).contains("unauthorized");
    assertRefused(acr.attemptPush(server, pullCreds, "api"), 401, "UNAUTHORIZED");

    String pushCreds =
        tokenCreds(server, acr.principalWithRole(RegistryFixture.ACR_PUSH, id, null));
    var pushed = push(server, pushCreds, "api:pushed");
    assertThat(pushed.exit()).as(pushed.output()).isZero();
  }

  @Test
  void abacRepositoryRoleReachesOnlyItsRepositories() throws Exception {
    String id =
        acr.createRegistry(
            "abac-rg",
            "abacacr",
            "{\"adminUserEnabled\":true,\"roleAssignmentMode\":\"AbacRepositoryPermissions\"}");
    String server = acr.loginServer(id);
    String admin = "abacacr:" + acr.adminPassword(id);
    assertThat(push(server, admin, "team-a/x:v1").exit()).isZero();
    assertThat(push(server, admin, "team-b/y:v1").exit()).isZero();

    String condition =
        "((!(ActionMatches{'Microsoft.ContainerRegistry/registries/repositories/content/read'})"
            + " AND !(ActionMatches{'Microsoft.ContainerRegistry/registries/repositories/metadata/read'}))"
            + " OR (@Request[Microsoft.ContainerRegistry/registries/repositories:name]"
            + " StringStartsWithIgnoreCase 'team-a/'))";
    String creds = tokenCreds(server, acr.principalWithRole(REPOSITORY_READER, id, condition));
    assertThat(pull(server, creds, "team-a/x:v1").exit()).isZero();
    assertThat(pull(server, creds, "team-b/y:v1").exit()).isNotZero();
    assertRefused(acr.attemptPull(server, creds, "team-b/y", "v1"), 401, "UNAUTHORIZED");

    // In ABAC mode AcrPull grants nothing on the data plane.
    String acrPull = tokenCreds(server, acr.principalWithRole(RegistryFixture.ACR_PULL, id, null));
    assertThat(pull(server, acrPull, "team-a/x:v1").exit()).isNotZero();
    assertRefused(acr.attemptPull(server, acrPull, "team-a/x", "v1"), 401, "UNAUTHORIZED");
  }

  @Test
  void scopeMapTokenIsRefusedOutsideItsRepository() throws Exception {
    String id = acr.createRegistry("token-rg", "tokenacr", "{\"adminUserEnabled\":true}");
    String server = acr.loginServer(id);
    String admin = "tokenacr:" + acr.adminPassword(id);
    assertThat(push(server, admin, "allowed:v1").exit()).isZero();
    assertThat(push(server, admin, "other:v1").exit()).isZero();

    var map =
        acr.https.send(
            "PUT",
            id + "/scopeMaps/readallowed" + RegistryFixture.REGISTRY_API,
            acr.owner,
            "{\"properties\":{\"actions\":[\"repositories/allowed/content/read\",\"repositories/allowed/metadata/read\"]}}");
    assertThat(map.statusCode()).as(map.body()).isIn(200, 201);
    var token =
        acr.https.send(
            "PUT",
            id + "/tokens/reader" + RegistryFixture.REGISTRY_API,
            acr.owner,
            "{\"properties\":{\"scopeMapId\":\""
                + id
                + "/scopeMaps/readallowed\",\"status\":\"enabled\"}}");
    assertThat(token.statusCode()).as(token.body()).isIn(200, 201);
    var generated =
        acr.https.send(
            "POST",
            id + "/generateCredentials" + RegistryFixture.REGISTRY_API,
            acr.owner,
            "{\"tokenId\":\"" + id + "/tokens/reader\",\"name\":\"password1\"}");
    assertThat(generated.statusCode()).as(generated.body()).isEqualTo(200);
    JsonNode g = Https.json(generated);
    String creds =
        g.path("username").asText() + ":" + g.path("passwords").get(0).path("value").asText();

    assertThat(pull(server, creds, "allowed:v1").exit()).isZero();
    assertThat(pull(server, creds, "other:v1").exit()).isNotZero();
    assertRefused(acr.attemptPull(server, creds, "other", "v1"), 401, "UNAUTHORIZED");
    assertThat(push(server, creds, "allowed:v2").exit()).isNotZero();
    assertRefused(acr.attemptPush(server, creds, "allowed"), 401, "UNAUTHORIZED");
  }

  @Test
  void ipRuleLetsInOnlyTheAllowedPeerAddress() throws Exception {
    String id =
        acr.createRegistry(
            "net-rg",
            "netacr",
            "{\"networkRuleSet\":{\"defaultAction\":\"Deny\",\"ipRules\":[{\"action\":\"Allow\",\"value\":\"127.0.0.2\"}]}}");
    String server = acr.loginServer(id);
    int port = Integer.parseInt(server.substring(server.indexOf(':') + 1));

    assertThat(statusOfV2(port, "127.0.0.2")).startsWith("401");
    String refused = statusOfV2(port, "127.0.0.1");
    assertThat(refused)
        .startsWith("403")
        .contains("DENIED")
        .contains("client with IP '127.0.0.1' is not allowed access");

    acr.patchRegistry(id, "{\"properties\":{\"publicNetworkAccess\":\"Disabled\"}}");
    assertThat(statusOfV2(port, "127.0.0.2")).startsWith("403");
  }

  /**
   * The registry itself refuses (a skopeo exit code alone would also pass for a TLS error or a
   * 500): status and ACR error code, over the same token flow skopeo walks.
   */
  /**
   * The registry itself refused, by status and ACR error code: a skopeo exit code alone would also
   * pass for a TLS error or a 500.
   */
  private static void assertRefused(RegistryFixture.Answer answer, int status, String code) {
    assertThat(answer.status()).as(answer.body()).isEqualTo(status);
    assertThat(answer.code()).as(answer.body()).isEqualTo(code);
  }

  /** GET /v2/ from a socket bound to {@code source}: the status code, then the rest. */
  private static String statusOfV2(int port, String source) throws Exception {
    String response = Https.rawGet(BERTH.caFile(), port, source, "localhost:" + port, "/v2/");
    return response.substring(response.indexOf(' ') + 1);
  }
}
