package dev.berth.runtime.image;

import static dev.berth.runtime.image.TestLayers.layer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.runtime.image.PullException.Reason;
import dev.berth.runtime.image.PullException.Step;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The one conformance suite of {@link ImagePuller}: a puller's test extends this class in a line
 * and implements {@link #newPuller}. This part proves what is pulled — the manifest, an index's
 * linux/amd64 image, layers verified against their digests, cached once and shared by concurrent
 * pulls, redirects, the source address — and how a registry that cannot be reached or trusted
 * fails; the authentication cases come from {@link ImagePullerAuthConformance}.
 */
public abstract class ImagePullerConformance extends ImagePullerAuthConformance {

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
                      "GET https://"
                          + registry.host()
                          + "/v2/api/manifests/nope: MANIFEST_UNKNOWN: manifest tagged by \"nope\""
                          + " is not found");
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
    // Nothing of the bad layer was kept: once the registry serves the right bytes, they arrive.
    registry.blob(tarball);
    assertThat(pull("api:v1", new RegistryCredential.Anonymous()).layers().getFirst().resolve("a"))
        .hasContent("1");
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
                      "Get \"https://127.0.0.1:%d/v2/\": dial tcp 127.0.0.1:%d: connect: connection refused"
                          .formatted(port, port));
            });
  }

  @Test
  void concurrentPullsOfOneLayerFetchItOnce() throws Exception {
    byte[] tarball = layer().file("a", "shared").gzip();
    String layerDigest = FakeRegistry.digest(tarball);
    push("api", "v1", tarball);
    List<Future<PulledImage>> pulls = new ArrayList<>();

    try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 4; i++) {
        pulls.add(executor.submit(() -> pull("api:v1", new RegistryCredential.Anonymous())));
      }
    }

    for (Future<PulledImage> pulled : pulls) {
      assertThat(pulled.get().layers().getFirst().resolve("a")).hasContent("shared");
    }
    assertThat(registry.requests("/v2/api/blobs/" + layerDigest)).hasSize(1);
  }

  @Test
  void aRegistryWhoseCertificateIsNotTrustedIsUnreachable() throws Exception {
    try (ImagePuller strict = newPuller(cache.resolve("strict"), systemTrust())) {
      push("api", "v1", layer().file("a", "1").gzip());

      PullException e = refusedPull(strict, registry.host() + "/api:v1");

      assertThat(e.reason()).isEqualTo(Reason.UNREACHABLE);
      assertThat(e.step()).isEqualTo(Step.PING);
      assertThat(e.getMessage()).startsWith("Get \"https://" + registry.host() + "/v2/\": tls: ");
    }
  }
}
