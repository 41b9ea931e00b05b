package dev.berth.registry.distribution;

import dev.berth.registry.blob.Digest;
import dev.berth.registry.distribution.internal.DistributionServices;
import dev.berth.registry.distribution.internal.ManifestCache;
import dev.berth.registry.distribution.internal.ManifestHandler;
import java.io.IOException;
import java.util.Optional;

/**
 * Reads a registry's manifests from inside Berth, as a pull would but without HTTP or a token: what
 * an import from another Berth registry ({@code importImage} with {@code source.resourceId}) copies
 * out. Blobs need no reading: every registry shares one content-addressed store, so a copy links
 * them ({@link RepositoryWriter#linkStored}). Whoever calls it has already decided that the caller
 * may read the repository. Thread-safe.
 */
public final class RepositoryReader {

  /** A stored manifest: its digest, media type and exact bytes. */
  public record StoredManifest(Digest digest, String mediaType, byte[] bytes) {}

  private final DistributionServices services;

  RepositoryReader(DistributionServices services) {
    this.services = services;
  }

  /**
   * The manifest a tag or {@code sha256:} digest names in the repository; empty when the repository
   * has no such tag or manifest.
   */
  public Optional<StoredManifest> manifest(String registryKey, String repository, String reference)
      throws IOException {
    RepositoryMetadata repo = services.metadata().repository(registryKey, repository);
    if (!repo.exists()) {
      return Optional.empty();
    }
    Optional<Digest> digest =
        reference.startsWith("sha256:")
            ? Digest.tryParse(reference).filter(repo::hasRevision)
            : repo.tag(reference).map(RepositoryMetadata.Tag::digest);
    if (digest.isEmpty() || services.blobs().stat(digest.get()).isEmpty()) {
      return Optional.empty();
    }
    ManifestCache.Entry entry = ManifestHandler.load(services, repo, digest.get());
    return Optional.of(new StoredManifest(digest.get(), entry.mediaType(), entry.bytes()));
  }
}
