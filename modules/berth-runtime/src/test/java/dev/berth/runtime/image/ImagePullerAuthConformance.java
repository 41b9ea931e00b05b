package dev.berth.runtime.image;

import static dev.berth.runtime.image.TestLayers.layer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.berth.runtime.image.PullException.Reason;
import dev.berth.runtime.image.PullException.Step;
import dev.berth.testing.TestCa;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How an {@link ImagePuller} authenticates, the part of {@link ImagePullerConformance} that drives
 * ACR's token dance against a {@link FakeRegistry} over HTTPS: a managed identity's exchange, a
 * user and password for a token or on every request, an anonymous token, and refusals that read as
 * containerd prints them without showing the secret. Each test gets a fresh registry, cache and
 * puller.
 */
public abstract class ImagePullerAuthConformance {

  protected static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  protected static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";

  /**
   * A puller with its layer cache in {@code cacheDir} that trusts the registries {@code trust}
   * trusts: the tests pass {@code TestCa.get().trustManagers()}, which trust the {@link
   * FakeRegistry}'s certificate, or managers that do not.
   */
  protected abstract ImagePuller newPuller(Path cacheDir, TrustManagerFactory trust);

  /** The JDK's own trust store's managers: they do not trust the test CA. */
  protected static TrustManagerFactory systemTrust() {
    try {
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init((KeyStore) null);
      return trust;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An SSL context of {@code trust}'s managers, for pullers that take one. */
  protected static SSLContext context(TrustManagerFactory trust) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @TempDir protected Path cache;
  protected FakeRegistry registry;
  protected ImagePuller puller;

  @BeforeEach
  final void start() {
    registry = FakeRegistry.https();
    puller = newPuller(cache, TestCa.get().trustManagers());
  }

  @AfterEach
  final void stop() {
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
                      "GET https://"
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
                  .startsWith("POST https://" + registry.host() + "/oauth2/exchange?service=")
                  .endsWith(": UNAUTHORIZED: token validation failed")
                  .doesNotContain("expired-entra-token");
            });
  }

  protected final PulledImage pull(String repositoryAndTag, RegistryCredential credential)
      throws PullException {
    return pull(repositoryAndTag, credential, PullListener.NONE);
  }

  protected final PulledImage pull(
      String repositoryAndTag, RegistryCredential credential, PullListener listener)
      throws PullException {
    return puller.pull(
        ImageReference.parse(registry.host() + "/" + repositoryAndTag),
        credential,
        Optional.empty(),
        listener);
  }

  protected final PulledImage pull(
      String host, String repositoryAndTag, RegistryCredential credential) throws PullException {
    return puller.pull(
        ImageReference.parse(host + "/" + repositoryAndTag),
        credential,
        Optional.empty(),
        PullListener.NONE);
  }

  /** What {@code other} throws pulling {@code reference} anonymously: the pull must fail. */
  protected static PullException refusedPull(ImagePuller other, String reference) {
    Throwable thrown =
        catchThrowable(
            () ->
                other.pull(
                    ImageReference.parse(reference),
                    new RegistryCredential.Anonymous(),
                    Optional.empty(),
                    PullListener.NONE));
    assertThat(thrown).isInstanceOf(PullException.class);
    return (PullException) thrown;
  }

  protected static RegistryCredential managedIdentity() {
    return new RegistryCredential.ManagedIdentity("system", () -> FakeRegistry.ENTRA_TOKEN);
  }

  /** Publishes a one-config image with {@code layers}; returns the manifest digest. */
  protected final String push(String repository, String tag, byte[]... layers) {
    return push(registry, repository, tag, layers);
  }

  /** Publishes a one-config image with {@code layers} to {@code registry}; the manifest digest. */
  protected static String push(
      FakeRegistry registry, String repository, String tag, byte[]... layers) {
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

  protected static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
