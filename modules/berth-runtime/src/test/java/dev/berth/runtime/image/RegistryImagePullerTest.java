package dev.berth.runtime.image;

import static dev.berth.runtime.image.TestLayers.layer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/**
 * The pull client Berth ships ({@link ImagePullers}): the {@link ImagePullerConformance} suite, and
 * what is its own — the cache's layout and the registries it may speak plain HTTP to.
 */
class RegistryImagePullerTest extends ImagePullerConformance {

  @Override
  protected ImagePuller newPuller(Path cacheDir, SSLContext trust) {
    return ImagePullers.create(cacheDir, trust);
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
  void aLayerWhoseDigestDoesNotMatchLeavesNothingInTheCache() throws Exception {
    byte[] tarball = layer().file("a", "1").gzip();
    push("api", "v1", tarball);
    registry.corrupt(FakeRegistry.digest(tarball));

    assertThatThrownBy(() -> pull("api:v1", new RegistryCredential.Anonymous()))
        .isInstanceOf(PullException.class);
    assertThat(cache.resolve("layers/sha256")).doesNotExist();
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
