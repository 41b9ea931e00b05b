package dev.berth.runtime.image;

import dev.berth.runtime.image.internal.RegistryImagePuller;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * Creates {@link ImagePuller}s that pull over the OCI distribution API, authenticate as Azure
 * Container Apps does against ACR, and unpack layers once into a shared cache under {@code
 * cacheDir} (see {@code docs/runtime-images.md}).
 */
public final class ImagePullers {

  private ImagePullers() {}

  /** A puller that speaks HTTPS to every registry, trusting what {@code trust} trusts. */
  public static ImagePuller create(Path cacheDir, SSLContext trust) {
    return create(cacheDir, trust, Set.of());
  }

  /**
   * A puller that speaks plain HTTP to {@code insecureRegistries} ({@code host} or {@code
   * host:port}, as the image reference names them) and HTTPS to the rest.
   *
   * @throws UncheckedIOException when the cache directory cannot be prepared
   */
  public static ImagePuller create(
      Path cacheDir, SSLContext trust, Set<String> insecureRegistries) {
    return create(cacheDir, trust, insecureRegistries, Optional.empty());
  }

  /**
   * A puller whose HTTPS connections run on {@code engines} when given (which must trust what
   * {@code trust} trusts), else on the JDK's engines from {@code trust}. The puller closes {@code
   * engines} when it is closed.
   *
   * @throws UncheckedIOException when the cache directory cannot be prepared
   */
  public static ImagePuller create(
      Path cacheDir,
      SSLContext trust,
      Set<String> insecureRegistries,
      Optional<ClientTls> engines) {
    try {
      return new RegistryImagePuller(cacheDir, trust, insecureRegistries, engines);
    } catch (IOException e) {
      engines.ifPresent(ClientTls::close);
      throw new UncheckedIOException("cannot prepare the image cache in " + cacheDir, e);
    }
  }
}
