package dev.berth.registry.distribution.internal;

import dev.berth.registry.AccessRequest;
import dev.berth.registry.RegistryAccess;
import dev.berth.registry.RegistryErrorCode;
import dev.berth.registry.RegistryException;
import dev.berth.registry.blob.BlobStore;
import dev.berth.registry.distribution.MetadataStore;
import dev.berth.registry.distribution.RepositoryMetadata;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * What every handler works with: blobs, repository metadata, the access layer, the clock, the
 * manifest cache and the manifest pushes running (which garbage collection spares). Immutable; its
 * parts are thread-safe.
 */
public record Services(
    BlobStore blobs,
    MetadataStore metadata,
    RegistryAccess access,
    Clock clock,
    ManifestCache manifests,
    ManifestPushes pushes) {

  public static final String PULL = "pull";
  public static final String PUSH = "push";
  public static final String DELETE = "delete";
  public static final String METADATA_READ = "metadata_read";

  /** Asks the access layer for {@code actions} on the call's repository. */
  public void authorize(Call call, String... actions) {
    access.authorize(
        call.exchange(), call.registry(), List.of(AccessRequest.repository(call.name(), actions)));
  }

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
