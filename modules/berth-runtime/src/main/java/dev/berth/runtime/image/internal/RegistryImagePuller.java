package dev.berth.runtime.image.internal;

import dev.berth.runtime.image.ImageConfig;
import dev.berth.runtime.image.ImagePuller;
import dev.berth.runtime.image.ImageReference;
import dev.berth.runtime.image.PullException;
import dev.berth.runtime.image.PullException.Step;
import dev.berth.runtime.image.PullListener;
import dev.berth.runtime.image.PulledImage;
import dev.berth.runtime.image.RegistryCredential;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * The {@link ImagePuller} over the OCI distribution API: authorize, fetch the manifest (always),
 * the config, and the layers the cache lacks. Thread-safe.
 */
public final class RegistryImagePuller implements ImagePuller {

  private final RegistryTransport transport;
  private final Set<String> insecureRegistries;
  private final LayerCache cache;
  private final RegistryAuthenticator authenticator = new RegistryAuthenticator();
  private final ManifestFetcher manifests = new ManifestFetcher();
  private final BlobFetcher blobs = new BlobFetcher();

  /** See {@code ImagePullers.create}. */
  public RegistryImagePuller(Path cacheDir, SSLContext trust, Set<String> insecureRegistries)
      throws IOException {
    this.insecureRegistries = Set.copyOf(insecureRegistries);
    LayerUnpacker unpacker = new LayerUnpacker(new OverlayFiles(), runningAsRoot());
    this.cache = new LayerCache(new CachePaths(cacheDir), unpacker);
    this.transport = new RegistryTransport(trust);
    PullWarmUp.start(transport, unpacker);
  }

  @Override
  public PulledImage pull(
      ImageReference image,
      RegistryCredential credential,
      Optional<InetAddress> sourceAddress,
      PullListener listener)
      throws PullException {
    RegistryEndpoint endpoint = new RegistryEndpoint(transport, base(image), sourceAddress);
    Optional<String> authorization =
        authenticator.authorize(endpoint, image.repository(), credential);
    ImageManifest manifest = manifests.fetch(endpoint, authorization, image);
    ImageConfig config = config(endpoint, authorization, image, manifest.config());
    List<Path> layers = new ArrayList<>();
    for (Descriptor layer : manifest.layers()) {
      layers.add(
          cache.layer(
              layer,
              () -> blobs.open(endpoint, authorization, image.repository(), layer),
              listener));
    }
    return new PulledImage(image, manifest.digest(), config, layers);
  }

  private ImageConfig config(
      RegistryEndpoint endpoint,
      Optional<String> authorization,
      ImageReference image,
      Descriptor descriptor)
      throws PullException {
    byte[] blob = blobs.bytes(endpoint, authorization, image.repository(), descriptor);
    try {
      return ImageConfigParser.parse(blob);
    } catch (IOException e) {
      throw PullErrors.invalid(
          Step.BLOB,
          "GET",
          endpoint
              .resolve("/v2/" + image.repository() + "/blobs/" + descriptor.digest())
              .toString(),
          "the image configuration is not usable: " + e.getMessage());
    }
  }

  private URI base(ImageReference image) {
    String registry = image.registry();
    String host = registry.replaceFirst(":\\d+$", "");
    boolean insecure = insecureRegistries.contains(registry) || insecureRegistries.contains(host);
    return URI.create((insecure ? "http://" : "https://") + registry);
  }

  private static boolean runningAsRoot() throws IOException {
    return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
  }

  @Override
  public void close() {
    transport.close();
  }
}
