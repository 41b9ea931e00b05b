package dev.berth.registry.distribution.internal;

import dev.berth.registry.RegistryErrorCode;
import dev.berth.registry.RegistryException;
import dev.berth.registry.blob.BlobStore;
import dev.berth.registry.distribution.MetadataStore;
import dev.berth.registry.distribution.RepositoryMetadata;
import java.time.Clock;
import java.util.Map;

/**
 * What every handler works with: blobs, repository metadata, the clock, the manifest cache and the
 * manifest pushes running (which garbage collection spares). Access is checked before a handler
 * runs ({@link RouteAccess}). Immutable; its parts are thread-safe.
 */
public record DistributionServices(
    BlobStore blobs,
    MetadataStore metadata,
    Clock clock,
    ManifestCache manifests,
    ManifestPushes pushes) {

  public RepositoryMetadata repository(Call call) {
    return metadata.repository(call.registryKey(), call.name());
  }

  /** The repository, which must exist, else {@code NAME_UNKNOWN} with ACR's body. */
  public RepositoryMetadata existing(Call call) {
    RepositoryMetadata repo = repository(call);
    if (!repo.exists()) {
      throw RegistryException.of(
          RegistryErrorCode.NAME_UNKNOWN,
          "repository name not known to registry",
          Map.of("name", call.name()));
    }
    return repo;
  }
}
