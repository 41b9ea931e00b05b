package dev.berth.runtime.image.internal;

import dev.berth.runtime.image.ClientTls;
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
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import javax.net.ssl.SSLContext;

/**
 * The {@link ImagePuller} over the OCI distribution API: authorize, fetch the manifest (always),
 * then side by side the config (unless read before: it is named by digest) and the layers the cache
 * lacks. Thread-safe.
 */
public final class RegistryImagePuller implements ImagePuller {

  private static final int CONCURRENT_LAYERS = 3;
  private static final int KNOWN_CONFIGS = 256;

  private final RegistryTransport transport;
  private final Set<String> insecureRegistries;
  private final LayerCache cache;
  private final RegistryAuthenticator authenticator = new RegistryAuthenticator();
  private final ManifestFetcher manifests = new ManifestFetcher();
  private final BlobFetcher blobs = new BlobFetcher();

  /** Image configurations read before, by digest: a bounded memory, oldest forgotten first. */
  private final Map<String, ImageConfig> configs =
      Collections.synchronizedMap(
          new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, ImageConfig> eldest) {
              return size() > KNOWN_CONFIGS;
            }
          });

  /** See {@code ImagePullers.create}. */
  public RegistryImagePuller(
      Path cacheDir, SSLContext trust, Set<String> insecureRegistries, Optional<ClientTls> engines)
      throws IOException {
    this.insecureRegistries = Set.copyOf(insecureRegistries);
    LayerUnpacker unpacker = new LayerUnpacker(new OverlayFiles(), runningAsRoot());
    this.cache = new LayerCache(new CachePaths(cacheDir), unpacker);
    this.transport = new RegistryTransport(trust, engines);
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
    // The config and the layers need nothing of each other: fetched side by side, as containerd
    // does (up to three layer downloads at once).
    try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<ImageConfig> config =
          executor.submit(() -> config(endpoint, authorization, image, manifest.config()));
      Semaphore downloads = new Semaphore(CONCURRENT_LAYERS);
      List<Future<Path>> layers = new ArrayList<>();
      for (Descriptor layer : manifest.layers()) {
        layers.add(
            executor.submit(
                () -> {
                  downloads.acquire();
                  try {
                    return cache.layer(
                        layer,
                        () -> blobs.open(endpoint, authorization, image.repository(), layer),
                        listener);
                  } finally {
                    downloads.release();
                  }
                }));
      }
      ImageConfig done;
      List<Path> unpacked = new ArrayList<>();
      try {
        done = result(config);
        for (Future<Path> layer : layers) {
          unpacked.add(result(layer)); // the lowest failing layer's error, whatever failed first
        }
      } catch (PullException | RuntimeException e) {
        executor.shutdownNow(); // the pull has failed: the other downloads stop
        throw e;
      }
      return new PulledImage(image, manifest.digest(), done, unpacked);
    }
  }

  /** What a step on another thread returned, or the {@link PullException} it threw. */
  private static <T> T result(Future<T> step) throws PullException {
    try {
      return step.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PullException(
          PullException.Reason.UNREACHABLE, Step.BLOB, 0, null, "interrupted during the pull", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof PullException failed) {
        throw failed;
      }
      if (e.getCause() instanceof RuntimeException unchecked) {
        throw unchecked;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private ImageConfig config(
      RegistryEndpoint endpoint,
      Optional<String> authorization,
      ImageReference image,
      Descriptor descriptor)
      throws PullException {
    ImageConfig known = configs.get(descriptor.digest());
    if (known != null) {
      return known; // content-addressed: the manifest just fetched names this very blob
    }
    byte[] blob = blobs.bytes(endpoint, authorization, image.repository(), descriptor);
    try {
      ImageConfig parsed = ImageConfigParser.parse(blob);
      configs.put(descriptor.digest(), parsed);
      return parsed;
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
  public void warmUp(URI endpoint) {
    PullWarmUp.request(transport, endpoint);
  }

  @Override
  public void prepare(Optional<InetAddress> sourceAddress) {
    if (transport.started(sourceAddress)) {
      return;
    }
    Thread.ofVirtual()
        .name("image-pull-prepare")
        .start(
            () -> {
              try {
                transport.warm(sourceAddress);
              } catch (RuntimeException e) {
                // closed meanwhile, or the address is gone: the first pull reports what is wrong
              }
            });
  }

  @Override
  public void close() {
    transport.close();
  }
}
