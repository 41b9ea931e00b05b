package dev.berth.registry.auth;

import static dev.berth.registry.auth.AcrTokenServiceTest.basic;
import static dev.berth.registry.auth.AcrTokenServiceTest.json;
import static dev.berth.registry.auth.AcrTokenServiceTest.payload;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.Principal;
import dev.berth.identity.BuiltInRoles;
import dev.berth.testing.RawHttp;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ACR token service with input that tries to stretch a grant or break a parser, over real HTTP
 * with the production access rules: scopes for names outside the distribution grammar are never
 * issued, and malformed requests are 401s in the registry envelope, never 500s.
 */
@Timeout(60)
class TokenInputTest {

  private static final String ARM = "https://management.azure.com/";
  private static final String SERVICE =
      URLEncoder.encode(AuthFixture.LOGIN_SERVER, StandardCharsets.UTF_8);

  @TempDir Path keys;
  private AuthFixture fx;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Principal sp;

  @BeforeEach
  void start() throws Exception {
    fx = new AuthFixture(keys);
    sp = fx.directory.createServicePrincipal("team-b-puller").principal();
  }

  @AfterEach
  void stop() throws Exception {
    fx.close();
  }

  @Test
  void aScopeMapOnTeamBGrantsNoNameThatClimbsOutOfIt() throws Exception {
    fx.scopeMapToken("teamb", "s3cret", "enabled", null, "repositories/team-b/*/content/read");

    String token =
        tokenWithBasic(
            "teamb", "s3cret", "repository:team-b/../secret:pull repository:team-b/app:pull");

    assertThat(payload(token).path("access").toString())
        .isEqualTo("[{\"type\":\"repository\",\"name\":\"team-b/app\",\"actions\":[\"pull\"]}]");
  }

  @Test
  void anAbacPrefixConditionGrantsNoNameOutsideTheGrammar() throws Exception {
    fx.registryProperties.put("roleAssignmentMode", "AbacRepositoryPermissions");
    fx.saveRegistry();
    fx.assignRole(
        sp.objectId(),
        BuiltInRoles.REPOSITORY_READER,
        "@Request[Microsoft.ContainerRegistry/registries/repositories:name]"
            + " StringStartsWith 'team-b/'");
    String refresh = json(post("/oauth2/exchange", exchangeForm())).path("refresh_token").asText();

    var r =
        post(
            "/oauth2/token",
            "grant_type=refresh_token&service="
                + SERVICE
                + "&scope=repository%3Ateam-b%2F..%2Fsecret%3Apull"
                + "&scope=repository%3Ateam-b%2FUPPER%3Apull"
                + "&scope=repository%3Ateam-b%2F%2Fx%3Apull&refresh_token="
                + refresh);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(payload(json(r).path("access_token").asText()).path("access").toString())
        .isEqualTo("[]");
  }

  @Test
  void aUsernameHoldingASlashIsA401NotA500() throws Exception {
    var r =
        get(
            "/oauth2/token?service=" + SERVICE + "&scope=repository%3Aapp%3Apull",
            basic("team/../../x", "pw"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
    assertThat(json(r).path("errors").get(0).path("code").asText()).isEqualTo("UNAUTHORIZED");

    var form =
        post(
            "/oauth2/token",
            "grant_type=password&service=" + SERVICE + "&username=a%2Fb&password=x");
    assertThat(form.statusCode()).as(form.body()).isEqualTo(401);
  }

  @Test
  void malformedEscapesInATokenFormOrQueryAre401InTheEnvelope() throws Exception {
    var form = post("/oauth2/token", "grant_type=password&service=%zz&scope=%");
    assertThat(form.statusCode()).as(form.body()).isEqualTo(401);
    assertThat(json(form).path("errors").get(0).path("message").asText())
        .contains("malformed %-escape");

    RawHttp.Reply query =
        RawHttp.send(fx.port(), "GET /oauth2/token?service=%zz HTTP/1.1\r\nHost: x\r\n\r\n", false);
    assertThat(query.status()).as(query.body()).isEqualTo(401);
    assertThat(query.body()).contains("UNAUTHORIZED");

    RawHttp.Reply exchange =
        RawHttp.send(
            fx.port(),
            "POST /oauth2/exchange HTTP/1.1\r\nHost: x\r\nContent-Type:"
                + " application/x-www-form-urlencoded\r\nContent-Length: 50\r\n\r\nshort",
            true);
    assertThat(exchange.status()).as(exchange.body()).isEqualTo(401);
  }

  // ---- helpers --------------------------------------------------------------------------------

  private String exchangeForm() {
    return "grant_type=access_token&service=" + SERVICE + "&access_token=" + fx.entraToken(sp, ARM);
  }

  private String tokenWithBasic(String user, String password, String scope) throws Exception {
    var r =
        get(
            "/oauth2/token?service="
                + SERVICE
                + "&scope="
                + URLEncoder.encode(scope, StandardCharsets.UTF_8),
            basic(user, password));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json(r).path("access_token").asText();
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(fx.base().resolve(path))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path, String authorization) throws Exception {
    return http.send(
        HttpRequest.newBuilder(fx.base().resolve(path))
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", authorization)
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
