package dev.berth.runtime.image;

import static dev.berth.runtime.image.TestLayers.layer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/**
 * The pull client Berth ships ({@link ImagePullers}): the {@link ImagePullerConformance} suite, and
 * what is its own — the cache's layout and the registries it may speak plain HTTP to.
 */
class RegistryImagePullerTest extends ImagePullerConformance {

  @Override
  protected ImagePuller newPuller(Path cacheDir, TrustManagerFactory trust) {
    return ImagePullers.create(cacheDir, context(trust));
  }

  @Test
  void aLayerIsUnpackedInTheCacheUnderItsDigest() throws Exception {
    byte[] tarball = layer().file("a", "1").gzip();
    push("api", "v1", tarball);

    PulledImage image = pull("api:v1", new RegistryCredential.Anonymous());

    assertThat(image.layers().getFirst())
        .isEqualTo(cache.resolve("layers/sha256/" + FakeRegistry.digest(tarball).substring(7)));
  }

  @Test
  void aConfigurationReadBeforeIsNotFetchedAgain() throws Exception {
    byte[] tarball = layer().file("a", "1").gzip();
    push("api", "v1", tarball);
    pull("api:v1", new RegistryCredential.Anonymous());
    registry.seen.clear();

    PulledImage again = pull("api:v1", new RegistryCredential.Anonymous());

    assertThat(again.config().cmd()).containsExactly("serve");
    assertThat(registry.seen).extracting(FakeRegistry.Seen::path).contains("/v2/api/manifests/v1");
    assertThat(registry.seen)
        .extracting(FakeRegistry.Seen::path)
        .noneMatch(path -> path.contains("/blobs/"));
  }

  @Test
  void aLayerWhoseDigestDoesNotMatchLeavesNothingInTheCache() throws Exception {
    byte[] tarball = layer().file("a", "1").gzip();
    push("api", "v1", tarball);
    registry.corrupt(FakeRegistry.digest(tarball));

    assertThatThrownBy(() -> pull("api:v1", new RegistryCredential.Anonymous()))
        .isInstanceOf(PullException.class);
    assertThat(cache.resolve("layers/sha256")).doesNotExist();
  }

  @Test
  void aTruncatedLayerFailsOnItsDigestAndLeavesNoPartialLayer() throws Exception {
    byte[] tarball = bigLayer();
    push("api", "v1", tarball);
    registry.truncate(FakeRegistry.digest(tarball));

    assertThatThrownBy(() -> pull("api:v1", new RegistryCredential.Anonymous()))
        .isInstanceOfSatisfying(
            PullException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(PullException.Reason.INVALID);
              assertThat(e.step()).isEqualTo(PullException.Step.BLOB);
              assertThat(e.getMessage()).contains("digest mismatch");
            });
    assertNoLayerKept();
  }

  @Test
  void aLayerWithOneByteChangedFailsOnItsDigestNotAsABadTar() throws Exception {
    byte[] tarball = bigLayer();
    push("api", "v1", tarball);
    registry.flipAByte(FakeRegistry.digest(tarball));

    assertThatThrownBy(() -> pull("api:v1", new RegistryCredential.Anonymous()))
        .isInstanceOfSatisfying(
            PullException.class,
            e -> {
              assertThat(e.step()).isEqualTo(PullException.Step.BLOB);
              assertThat(e.getMessage()).contains("digest mismatch");
            });
    assertNoLayerKept();
  }

  @Test
  void bytesChangedAfterTheTarsEndStillFailTheDigest() throws Exception {
    byte[] tar = layer().file("a", "1").tar();
    push("api", "v1", tar);
    byte[] served = tar.clone();
    served[served.length - 1] = 1; // in the zero padding the tar reader never looks at
    registry.serveInstead(FakeRegistry.digest(tar), served);

    assertThatThrownBy(() -> pull("api:v1", new RegistryCredential.Anonymous()))
        .isInstanceOfSatisfying(
            PullException.class, e -> assertThat(e.getMessage()).contains("digest mismatch"));
    assertNoLayerKept();
  }

  @Test
  void aLayerCutOffMidStreamIsUnreachableAndLeavesNoPartialLayer() throws Exception {
    byte[] tarball = bigLayer();
    push("api", "v1", tarball);
    registry.cutOff(FakeRegistry.digest(tarball));

    assertThatThrownBy(() -> pull("api:v1", new RegistryCredential.Anonymous()))
        .isInstanceOfSatisfying(
            PullException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(PullException.Reason.UNREACHABLE);
              assertThat(e.step()).isEqualTo(PullException.Step.BLOB);
            });
    assertNoLayerKept();
  }

  @Test
  void aBlobThatIsItsDigestButNoLayerFailsTheUnpack() throws Exception {
    byte[] notATar = new byte[2048];
    Arrays.fill(notATar, (byte) 'x');
    push("api", "v1", notATar);

    assertThatThrownBy(() -> pull("api:v1", new RegistryCredential.Anonymous()))
        .isInstanceOfSatisfying(
            PullException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(PullException.Reason.INVALID);
              assertThat(e.step()).isEqualTo(PullException.Step.UNPACK);
              assertThat(e.getMessage()).startsWith("unpack layer " + FakeRegistry.digest(notATar));
            });
    assertNoLayerKept();
  }

  /** A gzip layer of a few hundred KiB that does not compress away: unpacked in many reads. */
  private static byte[] bigLayer() throws IOException {
    Random random = new Random(7);
    TestLayers layer = layer();
    for (int i = 0; i < 8; i++) {
      byte[] bytes = new byte[48 * 1024];
      random.nextBytes(bytes);
      layer.file("f" + i, HexFormat.of().formatHex(bytes));
    }
    return layer.gzip();
  }

  private void assertNoLayerKept() throws IOException {
    assertThat(cache.resolve("layers/sha256")).doesNotExist();
    try (Stream<Path> left = Files.list(cache.resolve("tmp"))) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void aRegistryNamedInsecureIsPulledOverPlainHttp() throws Exception {
    try (FakeRegistry plain = FakeRegistry.plainHttp();
        ImagePuller insecure =
            ImagePullers.create(
                cache.resolve("plain"), SSLContext.getDefault(), Set.of("127.0.0.1"))) {
      byte[] tarball = layer().file("a", "plain").gzip();
      push(plain, "api", "v1", tarball);

      PulledImage image =
          insecure.pull(
              ImageReference.parse(plain.host() + "/api:v1"),
              new RegistryCredential.Anonymous(),
              Optional.empty(),
              PullListener.NONE);

      assertThat(image.layers().getFirst().resolve("a")).hasContent("plain");
      assertThat(plain.seen).isNotEmpty();
    }
  }
}
