package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.containers.containerregistry.ContainerRegistryClient;
import com.azure.containers.containerregistry.ContainerRegistryClientBuilder;
import com.azure.containers.containerregistry.models.ArtifactTagProperties;
import com.azure.containers.containerregistry.models.ContainerRegistryAudience;
import com.azure.core.credential.TokenCredential;
import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.core.http.policy.FixedDelayOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.identity.ClientSecretCredentialBuilder;
import dev.berth.registry.testing.OciLayouts;
import dev.berth.server.tls.TlsProvider;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Berth's registry with the real clients: skopeo (admin user; a token from {@code
 * /oauth2/exchange}), podman, jib-core, and the Azure SDK's ContainerRegistryClient with the ACR
 * and the ARM audience — the latter refused while the registry's ARM-audience policy is disabled.
 */
class RegistryClientsIT {

  @RegisterExtension static final RunningBerth BERTH = new RunningBerth();

  @TempDir static Path work;

  private static RegistryFixture acr;
  private static String registryId;
  private static String loginServer;
  private static String adminPassword;
  private static Path layout;

  @BeforeAll
  static void createRegistryAndImage() throws Exception {
    acr = new RegistryFixture(BERTH);
    registryId = acr.createRegistry("clients-rg", "myacr", "{\"adminUserEnabled\":true}");
    loginServer = acr.loginServer(registryId);
    assertThat(loginServer).matches("[a-z0-9]+\\.azurecr\\.io\\.localhost:\\d+");
    adminPassword = acr.adminPassword(registryId);
    layout = work.resolve("layout");
    OciLayouts.write(layout, "v1", List.of(OciLayouts.File.of("hello.txt", "hello from berth\n")));
  }

  @Test
  void theListenersRunOnBoringSsl() {
    // The default (auto) on linux-x86_64, where CI runs: every client below talks to BoringSSL.
    // RegistryDomainIT keeps the JDK's engine covered.
    assertThat(BERTH.server().tlsProvider()).isEqualTo(TlsProvider.BORINGSSL);
  }

  @Test
  void skopeoCopiesInAndOutWithTheAdminUser() throws Exception {
    var in = acr.push(layout, loginServer, "myacr:" + adminPassword, "api:latest");
    assertThat(in.exit()).as(in.output()).isZero();
    Path out = work.resolve("out-admin");
    var back =
        acr.skopeo(
            "copy",
            "--src-cert-dir",
            acr.certDir.toString(),
            "--src-creds",
            "myacr:" + adminPassword,
            "docker://" + loginServer + "/api:latest",
            "oci:" + out + ":v1");
    assertThat(back.exit()).as(back.output()).isZero();
    assertThat(Files.readString(out.resolve("index.json"))).contains(digestOf(layout));
  }

  @Test
  void skopeoUsesTheRefreshTokenFromTheExchange() throws Exception {
    String refresh = acr.refreshToken(loginServer, acr.boot.clientId(), acr.boot.clientSecret());
    String creds = RegistryFixture.NULL_GUID + ":" + refresh;
    var in = acr.push(layout, loginServer, creds, "exchange/app:v1");
    assertThat(in.exit()).as(in.output()).isZero();
    var inspect = acr.inspect(loginServer, creds, "exchange/app:v1");
    assertThat(inspect.exit()).as(inspect.output()).isZero();
    assertThat(inspect.output()).contains(digestOf(layout));
  }

  @Test
  void podmanPullsAndPushes() throws Exception {
    var seed = acr.push(layout, loginServer, "myacr:" + adminPassword, "podman/src:v1");
    assertThat(seed.exit()).as(seed.output()).isZero();
    Path root = work.resolve("podman");
    String creds = "myacr:" + adminPassword;
    var pull =
        acr.podman(
            root,
            "pull",
            "--cert-dir",
            acr.certDir.toString(),
            "--creds",
            creds,
            loginServer + "/podman/src:v1");
    assertThat(pull.exit()).as(pull.output()).isZero();
    var tag =
        acr.podman(root, "tag", loginServer + "/podman/src:v1", loginServer + "/podman/copy:v2");
    assertThat(tag.exit()).as(tag.output()).isZero();
    var push =
        acr.podman(
            root,
            "push",
            "--cert-dir",
            acr.certDir.toString(),
            "--creds",
            creds,
            loginServer + "/podman/copy:v2");
    assertThat(push.exit()).as(push.output()).isZero();
    var inspect = acr.inspect(loginServer, creds, "podman/copy:v2");
    assertThat(inspect.exit()).as(inspect.output()).isZero();
  }

  @Test
  void jibBuildsAndPushesAnImage() throws Exception {
    Path app = work.resolve("app.txt");
    Files.writeString(app, "built by jib\n");
    // Jib trusts what the JVM's default trust store holds: it runs in a JVM of its own that trusts
    // Berth's CA, so this one's defaults stay as they are.
    var jib =
        JibPush.run(
            BERTH.caFile(),
            work,
            loginServer + "/jib/app:1",
            "myacr",
            adminPassword,
            app,
            Duration.ofMinutes(2));
    assertThat(jib.exit()).as(jib.output()).isZero();
    String digest = jib.stdout().strip();
    assertThat(digest).startsWith("sha256:");
    var inspect = acr.inspect(loginServer, "myacr:" + adminPassword, "jib/app:1");
    assertThat(inspect.exit()).as(inspect.output()).isZero();
    assertThat(inspect.output()).contains(digest);
  }

  @Test
  void azureSdkListsAndDeletesWithBothAudiencesAndHonoursTheArmPolicy() throws Exception {
    var seed = acr.push(layout, loginServer, "myacr:" + adminPassword, "sdk/hello:v1");
    assertThat(seed.exit()).as(seed.output()).isZero();
    acr.push(layout, loginServer, "myacr:" + adminPassword, "sdk/hello:v2");

    ContainerRegistryClient acrAudience =
        client(ContainerRegistryAudience.fromString("https://containerregistry.azure.net"));
    assertThat(acrAudience.listRepositoryNames().stream()).contains("sdk/hello");
    assertThat(acrAudience.getRepository("sdk/hello").listManifestProperties().stream())
        .isNotEmpty();
    assertThat(
            acrAudience.getArtifact("sdk/hello", "v1").listTagProperties().stream()
                .map(ArtifactTagProperties::getName))
        .contains("v1");
    acrAudience.getArtifact("sdk/hello", "v2").deleteTag("v2");
    assertThat(acr.inspect(loginServer, "myacr:" + adminPassword, "sdk/hello:v2").exit())
        .isNotZero();
    var gone = acr.attemptPull(loginServer, "myacr:" + adminPassword, "sdk/hello", "v2");
    assertThat(gone.status()).as(gone.body()).isEqualTo(404);
    assertThat(gone.code()).as(gone.body()).isEqualTo("MANIFEST_UNKNOWN");

    acr.patchRegistry(
        registryId,
        "{\"properties\":{\"policies\":{\"azureADAuthenticationAsArmPolicy\":{\"status\":\"disabled\"}}}}");
    assertThatThrownBy(
            () ->
                client(ContainerRegistryAudience.AZURE_RESOURCE_MANAGER_PUBLIC_CLOUD)
                    .listRepositoryNames()
                    .stream()
                    .toList())
        .isInstanceOf(ClientAuthenticationException.class);
    assertThat(
            client(ContainerRegistryAudience.fromString("https://containerregistry.azure.net"))
                .listRepositoryNames()
                .stream())
        .contains("sdk/hello");

    acr.patchRegistry(
        registryId,
        "{\"properties\":{\"policies\":{\"azureADAuthenticationAsArmPolicy\":{\"status\":\"enabled\"}}}}");
    assertThat(
            client(ContainerRegistryAudience.AZURE_RESOURCE_MANAGER_PUBLIC_CLOUD)
                .listRepositoryNames()
                .stream())
        .contains("sdk/hello");
  }

  private static ContainerRegistryClient client(ContainerRegistryAudience audience)
      throws Exception {
    var trust = SslContextBuilder.forClient().trustManager(BERTH.caFile().toFile()).build();
    HttpClient http =
        new NettyAsyncHttpClientBuilder(
                reactor.netty.http.client.HttpClient.create().secure(s -> s.sslContext(trust)))
            .build();
    BootstrapInfo b = BERTH.bootstrap();
    TokenCredential credential =
        new ClientSecretCredentialBuilder()
            .authorityHost(b.authority())
            .tenantId(b.tenantId())
            .clientId(b.clientId())
            .clientSecret(b.clientSecret())
            .httpClient(http)
            .disableInstanceDiscovery()
            .build();
    return new ContainerRegistryClientBuilder()
        .endpoint("https://" + loginServer)
        .credential(credential)
        .audience(audience)
        .httpClient(http)
        // A refused token is final here; the SDK's default retries wait 30 s apiece.
        .retryOptions(new RetryOptions(new FixedDelayOptions(0, Duration.ZERO)))
        .buildClient();
  }

  private static String digestOf(Path layout) throws Exception {
    return Https.JSON
        .readTree(Files.readString(layout.resolve("index.json")))
        .path("manifests")
        .get(0)
        .path("digest")
        .asText();
  }
}
