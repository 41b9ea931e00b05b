package dev.berth.runtime.image;

import static dev.berth.runtime.image.TestLayers.layer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.runtime.image.PullException.Reason;
import dev.berth.runtime.image.PullException.Step;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryImagePullerTest {

  private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  private static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";

  @TempDir Path cache;
  private FakeRegistry registry;
  private ImagePuller puller;

  @BeforeEach
  void start() throws Exception {
    registry = new FakeRegistry();
    puller = ImagePullers.create(cache, SSLContext.getDefault(), Set.of("127.0.0.1"));
  }

  @AfterEach
  void stop() throws Exception {
    puller.close();
    registry.close();
  }

  @Test
  void aManagedIdentityExchangesItsEntraTokenForARepositoryScopedToken() throws Exception {
    registry.auth = FakeRegistry.Auth.BEARER;
    String digest = push("team/api", "v1", layer().file("app/hello", "hi").gzip());

    PulledImage image = pull("team/api:v1", managedIdentity());

    assertThat(image.manifestDigest()).isEqualTo(digest);
    assertThat(image.config().entrypoint()).containsExactly("/bin/app");
    assertThat(image.config().cmd()).containsExactly("serve");
    assertThat(image.config().env()).containsExactly("PATH=/bin");
    assertThat(image.config().workingDir()).isEqualTo("/srv");
    assertThat(image.config().user()).isEqualTo("1000");
    assertThat(image.config().exposedPorts()).containsExactly("8080/tcp");
    assertThat(image.layers()).hasSize(1);
    assertThat(image.layers().getFirst().resolve("app/hello")).hasContent("hi");
    FakeRegistry.Seen exchange = registry.requests("/oauth2/exchange").getFirst();
    assertThat(exchange.form())
        .containsEntry("grant_type", "access_token")
        .containsEntry("access_token", FakeRegistry.ENTRA_TOKEN)
        .containsEntry("service", registry.host());
    FakeRegistry.Seen token = registry.requests("/oauth2/token").getFirst();
    assertThat(token.method()).isEqualTo("POST");
    assertThat(token.form())
        .containsEntry("grant_type", "refresh_token")
        .containsEntry("scope", "repository:team/api:pull")
        .containsEntry("service", registry.host());
  }

  @Test
  void aUserAndPasswordGetATokenWithBasicAuthentication() throws Exception {
    registry.auth = FakeRegistry.Auth.BEARER;
    push("api", "v1", layer().file("a", "1").gzip());

    pull("api:v1", new RegistryCredential.Basic(FakeRegistry.USER, FakeRegistry.PASSWORD));

    FakeRegistry.Seen token = registry.requests("/oauth2/token").getFirst();
    assertThat(token.method()).isEqualTo("GET");
    assertThat(token.form()).containsEntry("scope", "repository:api:pull");
    assertThat(registry.requests("/oauth2/exchange")).isEmpty();
  }

  @Test
  void aBasicChallengeIsAnsweredWithThePasswordOnEveryRequest() throws Exception {
    registry.auth = FakeRegistry.Auth.BASIC;
    push("api", "v1", layer().file("a", "1").gzip());

    PulledImage image =
        pull("api:v1", new RegistryCredential.Basic(FakeRegistry.USER, FakeRegistry.PASSWORD));

    assertThat(image.layers()).hasSize(1);
    assertThat(registry.requests("/oauth2/")).isEmpty();
  }

  @Test
  void anAnonymousPullAsksForATokenWithoutCredentials() throws Exception {
    registry.auth = FakeRegistry.Auth.BEARER;
    registry.anonymousPull = true;
    push("api", "v1", layer().file("a", "1").gzip());

    PulledImage image = pull("api:v1", new RegistryCredential.Anonymous());

    assertThat(image.layers()).hasSize(1);
    assertThat(registry.requests("/oauth2/token"))
        .singleElement()
        .satisfies(s -> assertThat(s.method()).isEqualTo("GET"));
  }

  @Test
  void anIndexResolvesToItsLinuxAmd64Image() throws Exception {
    String armLayer = registry.blob(layer().file("arch", "arm64").gzip());
    String amdDigest = push("api", null, layer().file("arch", "amd64").gzip());
    String index =
        """
        {"schemaVersion":2,"mediaType":"%s","manifests":[
         {"mediaType":"%s","digest":"%s","size":1,"platform":{"os":"linux","architecture":"arm64"}},
         {"mediaType":"%s","digest":"%s","size":1,"platform":{"os":"linux","architecture":"amd64"}}]}
        """
            .formatted(OCI_INDEX, OCI_MANIFEST, armLayer, OCI_MANIFEST, amdDigest);
    String indexDigest = registry.manifest("api", "multi", OCI_INDEX, bytes(index));

    PulledImage image = pull("api:multi", new RegistryCredential.Anonymous());

    assertThat(image.manifestDigest()).isEqualTo(indexDigest);
    assertThat(image.layers().getFirst().resolve("arch")).hasContent("amd64");
  }

  @Test
  void aMissingTagIsManifestUnknown() throws Exception {
    push("api", "v1", layer().file("a", "1").gzip());

    assertThatThrownBy(() -> pull("api:nope", new RegistryCredential.Anonymous()))
        .isInstanceOfSatisfying(
            PullException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.MANIFEST_UNKNOWN);
              assertThat(e.step()).isEqualTo(Step.MANIFEST);
              assertThat(e.getMessage())
                  .isEqualTo(
                      "GET http://"
                          + registry.host()
                          + "/v2/api/manifests/nope: MANIFEST_UNKNOWN: manifest tagged by \"nope\""
                          + " is not found");
            });
  }

  @Test
  void aRefusedTokenReadsAsContainerdPrintsIt() throws Exception {
    registry.auth = FakeRegistry.Auth.BEARER;
    push("api", "v1", layer().file("a", "1").gzip());

    assertThatThrownBy(
            () -> pull("api:v1", new RegistryCredential.Basic(FakeRegistry.USER, "wrong")))
        .isInstanceOfSatisfying(
            PullException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.UNAUTHORIZED);
              assertThat(e.step()).isEqualTo(Step.TOKEN);
              assertThat(e.status()).isEqualTo(401);
              assertThat(e.registryCode()).contains("UNAUTHORIZED");
              String port = registry.host().substring("127.0.0.1:".length());
              assertThat(e.getMessage())
                  .isEqualTo(
                      "GET http://"
                          + registry.host()
                          + "/oauth2/token?scope=repository%3Aapi%3Apull&service=127.0.0.1%3A"
                          + port
                          + ": UNAUTHORIZED: authentication required, visit"
                          + " https://aka.ms/acr/authorization for more information.")
                  .doesNotContain("wrong");
            });
  }

  @Test
  void aRefusedEntraTokenFailsTheExchangeWithoutShowingTheToken() throws Exception {
    registry.auth = FakeRegistry.Auth.BEARER;
    push("api", "v1", layer().file("a", "1").gzip());

    assertThatThrownBy(
            () ->
                pull(
                    "api:v1",
                    new RegistryCredential.ManagedIdentity("system", () -> "expired-entra-token")))
        .isInstanceOfSatisfying(
            PullException.class,
            e -> {
              assertThat(e.step()).isEqualTo(Step.EXCHANGE);
              assertThat(e.reason()).isEqualTo(Reason.UNAUTHORIZED);
              assertThat(e.getMessage())
                  .startsWith("POST http://" + registry.host() + "/oauth2/exchange?service=")
                  .endsWith(": UNAUTHORIZED: token validation failed")
                  .doesNotContain("expired-entra-token");
            });
  }

  @Test
  void aBlobWhoseDigestDoesNotMatchIsInvalid() throws Exception {
    byte[] tarball = layer().file("a", "1").gzip();
    push("api", "v1", tarball);
    registry.corrupt(FakeRegistry.digest(tarball));

    assertThatThrownBy(() -> pull("api:v1", new RegistryCredential.Anonymous()))
        .isInstanceOfSatisfying(
            PullException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.INVALID);
              assertThat(e.step()).isEqualTo(Step.BLOB);
              assertThat(e.getMessage()).contains("digest mismatch");
            });
    assertThat(cache.resolve("layers/sha256")).doesNotExist();
  }

  @Test
  void aSecondPullReusesTheCachedLayerButFetchesTheManifestAgain() throws Exception {
    byte[] tarball = layer().file("a", "1").gzip();
    String layerDigest = FakeRegistry.digest(tarball);
    push("api", "v1", tarball);
    List<String> events = new ArrayList<>();
    PullListener listener =
        new PullListener() {
          @Override
          public void layerStarted(String digest, long size) {
            events.add("started " + digest);
          }

          @Override
          public void layerReady(String digest, boolean wasCached) {
            events.add("ready " + digest + " cached=" + wasCached);
          }
        };

    PulledImage first = pull("api:v1", new RegistryCredential.Anonymous(), listener);
    PulledImage second = pull("api:v1", new RegistryCredential.Anonymous(), listener);

    assertThat(second.layers()).isEqualTo(first.layers());
    assertThat(first.layers().getFirst())
        .isEqualTo(cache.resolve("layers/sha256/" + layerDigest.substring(7)));
    assertThat(registry.requests("/v2/api/blobs/" + layerDigest)).hasSize(1);
    assertThat(registry.requests("/v2/api/manifests/v1")).hasSize(2);
    assertThat(events)
        .containsExactly(
            "started " + layerDigest,
            "ready " + layerDigest + " cached=false",
            "ready " + layerDigest + " cached=true");
  }

  @Test
  void blobRedirectsAreFollowed() throws Exception {
    registry.redirectBlobs = true;
    push("api", "v1", layer().file("a", "redirected").gzip());

    PulledImage image = pull("api:v1", new RegistryCredential.Anonymous());

    assertThat(image.layers().getFirst().resolve("a")).hasContent("redirected");
  }

  @Test
  void pullsLeaveFromTheGivenSourceAddress() throws Exception {
    push("api", "v1", layer().file("a", "1").gzip());
    InetAddress source = InetAddress.getByName("127.0.0.3");

    puller.pull(
        ImageReference.parse(registry.host() + "/api:v1"),
        new RegistryCredential.Anonymous(),
        Optional.of(source),
        PullListener.NONE);

    assertThat(registry.seen)
        .isNotEmpty()
        .allSatisfy(s -> assertThat(s.peer()).isEqualTo("127.0.0.3"));
  }

  @Test
  void aRegistryThatIsNotListeningIsUnreachable() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }

    assertThatThrownBy(
            () -> pull("127.0.0.1:" + port, "api:v1", new RegistryCredential.Anonymous()))
        .isInstanceOfSatisfying(
            PullException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.UNREACHABLE);
              assertThat(e.step()).isEqualTo(Step.PING);
              assertThat(e.getMessage())
                  .isEqualTo(
                      "Get \"http://127.0.0.1:%d/v2/\": dial tcp 127.0.0.1:%d: connect: connection refused"
                          .formatted(port, port));
            });
  }

  private PulledImage pull(String repositoryAndTag, RegistryCredential credential)
      throws PullException {
    return pull(repositoryAndTag, credential, PullListener.NONE);
  }

  private PulledImage pull(
      String repositoryAndTag, RegistryCredential credential, PullListener listener)
      throws PullException {
    return puller.pull(
        ImageReference.parse(registry.host() + "/" + repositoryAndTag),
        credential,
        Optional.empty(),
        listener);
  }

  private PulledImage pull(String host, String repositoryAndTag, RegistryCredential credential)
      throws PullException {
    return puller.pull(
        ImageReference.parse(host + "/" + repositoryAndTag),
        credential,
        Optional.empty(),
        PullListener.NONE);
  }

  private static RegistryCredential managedIdentity() {
    return new RegistryCredential.ManagedIdentity("system", () -> FakeRegistry.ENTRA_TOKEN);
  }

  /** Publishes a one-config image with {@code layers}; returns the manifest digest. */
  private String push(String repository, String tag, byte[]... layers) {
    String config =
        """
        {"architecture":"amd64","os":"linux","config":{"Entrypoint":["/bin/app"],"Cmd":["serve"],
         "Env":["PATH=/bin"],"WorkingDir":"/srv","User":"1000","ExposedPorts":{"8080/tcp":{}}}}
        """;
    byte[] configBytes = bytes(config);
    String configDigest = registry.blob(configBytes);
    StringBuilder layerJson = new StringBuilder();
    for (byte[] layer : layers) {
      String digest = registry.blob(layer);
      layerJson
          .append(layerJson.isEmpty() ? "" : ",")
          .append(
              "{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"%s\",\"size\":%d}"
                  .formatted(digest, layer.length));
    }
    String manifest =
        "{\"schemaVersion\":2,\"mediaType\":\"%s\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"%s\",\"size\":%d},\"layers\":[%s]}"
            .formatted(OCI_MANIFEST, configDigest, configBytes.length, layerJson);
    return registry.manifest(repository, tag, OCI_MANIFEST, bytes(manifest));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
