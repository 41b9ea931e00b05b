package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.testing.Exec;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * What the registry ITs share: create registries and principals through the ARM API, run the real
 * clients (skopeo, podman) with Berth's CA, and walk the ACR token flow by hand.
 */
final class RegistryFixture {

  static final String NULL_GUID = "00000000-0000-0000-0000-000000000000";
  static final String ACR_PULL = "7f951dda-4ed3-4680-a7ca-43fe172d538d";
  static final String ACR_PUSH = "8311e382-0749-4cb8-b61a-304f252e45ec";
  static final String REGISTRY_API = "?api-version=2023-07-01";

  final BootstrapInfo boot;
  final Https https;
  final String owner;
  final Path certDir;
  private final HttpClient http;

  RegistryFixture(RunningBerth berth) throws Exception {
    this(berth.bootstrap(), berth.caFile(), berth.dataDir());
  }

  /** For a server in another process: its bootstrap, CA and data directory. */
  RegistryFixture(BootstrapInfo boot, Path caFile, Path dataDir) throws Exception {
    this.boot = boot;
    this.https = new Https(caFile, boot.managementEndpoint());
    this.owner =
        https.token(
            boot.tenantId(), boot.clientId(), boot.clientSecret(), boot.managementEndpoint());
    this.certDir = Files.createTempDirectory(dataDir, "certs");
    Files.copy(caFile, certDir.resolve("ca.crt"));
    this.http = HttpClient.newBuilder().sslContext(Https.trusting(caFile)).build();
  }

  String group(String name) {
    return "/subscriptions/" + boot.subscriptionId() + "/resourceGroups/" + name;
  }

  /** Creates a group and a registry in it, waits until it is provisioned; its ARM id. */
  String createRegistry(String group, String name, String properties) throws Exception {
    assertThat(
            https
                .send(
                    "PUT",
                    group(group) + "?api-version=2021-04-01",
                    owner,
                    "{\"location\":\"local\"}")
                .statusCode())
        .isIn(200, 201);
    String id = group(group) + "/providers/Microsoft.ContainerRegistry/registries/" + name;
    var put =
        https.send(
            "PUT",
            id + REGISTRY_API,
            owner,
            "{\"location\":\"local\",\"sku\":{\"name\":\"Premium\"},\"properties\":"
                + properties
                + "}");
    assertThat(put.statusCode()).as(put.body()).isIn(200, 201);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                "Succeeded"
                    .equals(registry(id).path("properties").path("provisioningState").asText()));
    return id;
  }

  JsonNode registry(String id) throws Exception {
    return Https.json(https.send("GET", id + REGISTRY_API, owner, null));
  }

  String loginServer(String id) throws Exception {
    return registry(id).path("properties").path("loginServer").asText();
  }

  void patchRegistry(String id, String body) throws Exception {
    var patch = https.send("PATCH", id + REGISTRY_API, owner, body);
    assertThat(patch.statusCode()).as(patch.body()).isIn(200, 201);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                "Succeeded"
                    .equals(registry(id).path("properties").path("provisioningState").asText()));
  }

  /** The admin user's first password (the registry must have the admin user enabled). */
  String adminPassword(String id) throws Exception {
    var creds = https.send("POST", id + "/listCredentials" + REGISTRY_API, owner, null);
    assertThat(creds.statusCode()).as(creds.body()).isEqualTo(200);
    return Https.json(creds).path("passwords").get(0).path("value").asText();
  }

  /** A new service principal holding {@code roleGuid} at {@code scope}: its appId and secret. */
  String[] principalWithRole(String roleGuid, String scope, String condition) throws Exception {
    var created =
        https.send(
            "POST",
            "/providers/Berth.Identity/servicePrincipals?api-version=2025-01-01",
            owner,
            "{\"displayName\":\"sp-" + UUID.randomUUID() + "\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode p = Https.json(created).path("properties");
    String conditionJson =
        condition == null
            ? ""
            : ",\"condition\":"
                + Https.JSON.writeValueAsString(condition)
                + ",\"conditionVersion\":\"2.0\"";
    var assign =
        https.send(
            "PUT",
            scope
                + "/providers/Microsoft.Authorization/roleAssignments/"
                + UUID.randomUUID()
                + "?api-version=2022-04-01",
            owner,
            "{\"properties\":{\"roleDefinitionId\":\"/subscriptions/"
                + boot.subscriptionId()
                + "/providers/Microsoft.Authorization/roleDefinitions/"
                + roleGuid
                + "\",\"principalId\":\""
                + p.path("principalId").asText()
                + "\",\"principalType\":\"ServicePrincipal\""
                + conditionJson
                + "}}");
    assertThat(assign.statusCode()).as(assign.body()).isEqualTo(201);
    return new String[] {p.path("appId").asText(), p.path("clientSecret").asText()};
  }

  /** Entra token (for {@code audience}) → POST /oauth2/exchange → the ACR refresh token. */
  HttpResponse<String> exchange(String loginServer, String appId, String secret, String audience)
      throws Exception {
    String entra = https.token(boot.tenantId(), appId, secret, audience);
    String form =
        "grant_type=access_token&service="
            + enc(loginServer)
            + "&tenant="
            + enc(boot.tenantId())
            + "&access_token="
            + enc(entra);
    return http.send(
        HttpRequest.newBuilder(URI.create("https://" + loginServer + "/oauth2/exchange"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  String refreshToken(String loginServer, String appId, String secret) throws Exception {
    var r = exchange(loginServer, appId, secret, boot.managementEndpoint());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Https.JSON.readTree(r.body()).path("refresh_token").asText();
  }

  /** A registry's answer as a client sees it: the status and the first error code of the body. */
  record Answer(int status, String code, String body) {}

  /**
   * What the registry answers to a pull of {@code repository:reference} with these {@code
   * user:password} credentials, walked by hand as a Docker client does: {@code GET /oauth2/token}
   * with Basic credentials and the scope, then the manifest GET with the bearer token. A refused
   * credential ends at the token endpoint; one that holds less than asked gets a token without the
   * action, and the data plane refuses it.
   */
  Answer attemptPull(String loginServer, String creds, String repository, String reference)
      throws Exception {
    return attempt(
        loginServer,
        creds,
        "repository:" + repository + ":pull",
        HttpRequest.newBuilder(
                URI.create(
                    "https://" + loginServer + "/v2/" + repository + "/manifests/" + reference))
            .header("Accept", "application/vnd.oci.image.manifest.v1+json"));
  }

  /** As {@link #attemptPull}, for a blob's bytes. */
  Answer attemptBlob(String loginServer, String creds, String repository, String digest)
      throws Exception {
    return attempt(
        loginServer,
        creds,
        "repository:" + repository + ":pull",
        HttpRequest.newBuilder(
            URI.create("https://" + loginServer + "/v2/" + repository + "/blobs/" + digest)));
  }

  /** As {@link #attemptPull}, for the start of a blob upload to {@code repository}. */
  Answer attemptPush(String loginServer, String creds, String repository) throws Exception {
    return attempt(
        loginServer,
        creds,
        "repository:" + repository + ":pull,push",
        HttpRequest.newBuilder(
                URI.create("https://" + loginServer + "/v2/" + repository + "/blobs/uploads/"))
            .POST(HttpRequest.BodyPublishers.noBody()));
  }

  private Answer attempt(
      String loginServer, String creds, String scope, HttpRequest.Builder dataPlaneCall)
      throws Exception {
    var token =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "https://"
                            + loginServer
                            + "/oauth2/token?service="
                            + enc(loginServer)
                            + "&scope="
                            + enc(scope)))
                .header(
                    "Authorization",
                    "Basic "
                        + Base64.getEncoder()
                            .encodeToString(creds.getBytes(StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (token.statusCode() != 200) {
      return answer(token);
    }
    String bearer = "Bearer " + Https.JSON.readTree(token.body()).path("access_token").asText();
    return answer(
        http.send(
            dataPlaneCall.header("Authorization", bearer).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofString()));
  }

  private static Answer answer(HttpResponse<String> r) throws Exception {
    String code = "";
    if (r.body().startsWith("{")) {
      code = Https.JSON.readTree(r.body()).path("errors").path(0).path("code").asText("");
    }
    return new Answer(r.statusCode(), code, r.body());
  }

  /** Runs a command with a deadline; its exit code and combined output. */
  static Exec.Result run(List<String> command) throws Exception {
    return Exec.of(command).timeout(Duration.ofMinutes(3)).run();
  }

  Exec.Result skopeo(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("skopeo", "--insecure-policy"));
    command.addAll(List.of(args));
    return run(command);
  }

  /**
   * skopeo copies the OCI layout's {@code v1} to {@code loginServer/ref} with these credentials.
   */
  Exec.Result push(Path layout, String loginServer, String creds, String ref) throws Exception {
    return skopeo(
        "copy",
        "--dest-cert-dir",
        certDir.toString(),
        "--dest-creds",
        creds,
        "oci:" + layout + ":v1",
        "docker://" + loginServer + "/" + ref);
  }

  /** skopeo inspects {@code loginServer/ref} with these credentials (a pull of the manifest). */
  Exec.Result inspect(String loginServer, String creds, String ref) throws Exception {
    return skopeo(
        "inspect",
        "--cert-dir",
        certDir.toString(),
        "--creds",
        creds,
        "docker://" + loginServer + "/" + ref);
  }

  Exec.Result podman(Path root, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                "podman",
                "--root",
                root.resolve("storage").toString(),
                "--runroot",
                root.resolve("run").toString(),
                "--storage-driver",
                "vfs",
                "--cgroup-manager",
                "cgroupfs",
                "--events-backend",
                "none"));
    command.addAll(List.of(args));
    return run(command);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
