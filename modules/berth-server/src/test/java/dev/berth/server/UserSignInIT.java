package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * People sign in over HTTPS exactly as the portal's browser does: authorize form, password, code,
 * PKCE token, then ARM with the user's token, where RBAC decides as for any principal.
 */
class UserSignInIT {

  @RegisterExtension static final RunningBerth BERTH = new RunningBerth();

  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

  private static BootstrapInfo boot;
  private static Https https;
  private static String owner;

  @BeforeAll
  static void start() throws Exception {
    boot = BERTH.bootstrap();
    https = new Https(BERTH.caFile(), boot.managementEndpoint());
    owner =
        https.token(
            boot.tenantId(), boot.clientId(), boot.clientSecret(), boot.managementEndpoint());
  }

  @Test
  void theFirstAdminSignsInAndMayWrite() throws Exception {
    Bootstrap.FirstAdmin admin = BERTH.server().firstAdmin().orElseThrow();
    assertThat(admin.userName()).isEqualTo("admin");
    String token = signIn(admin.userName(), admin.password());

    HttpResponse<String> put =
        https.send("PUT", group("admin-rg"), token, "{\"location\":\"local\"}");
    assertThat(put.statusCode()).as(put.body()).isIn(200, 201);
    assertThat(https.send("GET", group("admin-rg"), token, null).statusCode()).isEqualTo(200);
  }

  @Test
  void aReaderUserReadsButGets403OnAWriteAndADeletedUsersTokenStops() throws Exception {
    HttpResponse<String> created =
        https.send(
            "PUT",
            "/providers/Berth.Identity/users/rita?api-version=2025-01-01",
            owner,
            "{\"properties\":{\"displayName\":\"Rita\",\"password\":\"rita's long password\"}}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String principalId = Https.json(created).at("/properties/principalId").asText();
    HttpResponse<String> assigned =
        https.send(
            "PUT",
            "/subscriptions/"
                + boot.subscriptionId()
                + "/providers/Microsoft.Authorization/roleAssignments/"
                + java.util.UUID.randomUUID()
                + "?api-version=2022-04-01",
            owner,
            """
            {"properties":{"roleDefinitionId":"/subscriptions/%s/providers/Microsoft.Authorization/roleDefinitions/%s",
                           "principalId":"%s","principalType":"User"}}"""
                .formatted(boot.subscriptionId(), Principals.READER, principalId));
    assertThat(assigned.statusCode()).as(assigned.body()).isEqualTo(201);
    assertThat(https.send("PUT", group("rita-rg"), owner, "{\"location\":\"local\"}").statusCode())
        .isIn(200, 201);

    String token = signIn("rita", "rita's long password");

    assertThat(https.send("GET", group("rita-rg"), token, null).statusCode()).isEqualTo(200);
    HttpResponse<String> write =
        https.send(
            "PUT", group("rita-rg"), token, "{\"location\":\"local\",\"tags\":{\"a\":\"b\"}}");
    assertThat(write.statusCode()).as(write.body()).isEqualTo(403);
    assertThat(Https.json(write).at("/error/code").asText()).isEqualTo("AuthorizationFailed");

    assertThat(
            https
                .send(
                    "DELETE",
                    "/providers/Berth.Identity/users/rita?api-version=2025-01-01",
                    owner,
                    null)
                .statusCode())
        .isEqualTo(200);
    HttpResponse<String> after = https.send("GET", group("rita-rg"), token, null);
    assertThat(after.statusCode()).isEqualTo(401);
    assertThat(Https.json(after).at("/error/code").asText())
        .isEqualTo("InvalidAuthenticationToken");
  }

  @Test
  void theAdminPasswordIsShownOnceAndWrittenNowhere() throws Exception {
    Path dir = Files.createTempDirectory("berth-it-admin-");
    try {
      ServerConfig config = ServerConfig.of(new DataDir(dir), "127.0.0.1", 0);
      String password;
      try (BerthServer first = BerthServer.start(config)) {
        Bootstrap.FirstAdmin admin = first.firstAdmin().orElseThrow();
        password = admin.password();
        assertThat(password).hasSizeGreaterThanOrEqualTo(12);
        assertThat(first.banner(0)).contains("user name: admin", "password:  " + password);
      }
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1))
              .as(f.toString())
              .doesNotContain(password);
        }
      }
      try (BerthServer second = BerthServer.start(config)) {
        assertThat(second.firstAdmin()).isEmpty();
        assertThat(second.banner(0)).doesNotContain("password:");
      }
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  /** The browser's part of the code flow, then the portal's token request: an access token. */
  private static String signIn(String user, String password) throws Exception {
    String base = BERTH.baseUrl();
    String callback = base + "/portal/signin/callback";
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    String challenge =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                MessageDigest.getInstance("SHA-256")
                    .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    String authorize =
        base
            + "/"
            + boot.tenantId()
            + "/oauth2/v2.0/authorize?"
            + PortalPages.form(
                "client_id", "berth-portal",
                "response_type", "code",
                "redirect_uri", callback,
                "scope", boot.managementEndpoint() + "/user_impersonation openid",
                "state", "s-42",
                "nonce", "n-42",
                "code_challenge", challenge,
                "code_challenge_method", "S256");

    // The browser: the token service's page, its CSRF cookie and form, then the redirect back.
    PortalPages browser = new PortalPages(BERTH);
    HttpResponse<String> page = browser.get(authorize);
    assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
    Matcher csrf = CSRF.matcher(page.body());
    assertThat(csrf.find()).isTrue();

    HttpResponse<String> posted =
        browser.postExactly(
            authorize, "csrf", csrf.group(1), "username", user, "password", password);
    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(302);
    URI location = URI.create(PortalPages.location(posted));
    assertThat(location.toString()).startsWith(callback + "?");
    Map<String, String> back = params(location.getRawQuery());
    assertThat(back).containsEntry("state", "s-42");

    // The portal's server asks for the token: no browser, so no cookie.
    HttpResponse<String> token =
        new PortalPages(BERTH)
            .postExactly(
                base + "/" + boot.tenantId() + "/oauth2/v2.0/token",
                "grant_type",
                "authorization_code",
                "client_id",
                "berth-portal",
                "code",
                back.get("code"),
                "redirect_uri",
                callback,
                "code_verifier",
                verifier);
    assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
    JsonNode body = Https.json(token);
    assertThat(body.path("id_token").asText()).isNotEmpty();
    return body.path("access_token").asText();
  }

  private static String group(String name) {
    return "/subscriptions/"
        + boot.subscriptionId()
        + "/resourceGroups/"
        + name
        + "?api-version=2021-04-01";
  }

  private static Map<String, String> params(String rawQuery) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : rawQuery.split("&")) {
      String[] kv = pair.split("=", 2);
      out.put(kv[0], URLDecoder.decode(kv.length > 1 ? kv[1] : "", StandardCharsets.UTF_8));
    }
    return out;
  }
}
