package dev.berth.registry.distribution;

import dev.berth.registry.blob.BlobStore;
import dev.berth.registry.blob.Digest;
import dev.berth.registry.distribution.internal.ManifestCache;
import dev.berth.registry.distribution.internal.ManifestPushes;
import dev.berth.registry.distribution.internal.ManifestWrites;
import dev.berth.registry.distribution.internal.ParsedManifest;
import dev.berth.registry.distribution.internal.RegistryErrors;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;

/**
 * Writes into a registry's repositories from inside Berth, as a push would but without HTTP: what
 * an image import ({@code importImage}) copies in. The same checks and records as a client's push
 * (the manifest parsed, everything it names present), and garbage collection spares the blobs of a
 * copy {@link #begin begun}. Thread-safe.
 */
public final class RepositoryWriter {

  private final BlobStore blobs;
  private final MetadataStore metadata;
  private final Clock clock;
  private final ManifestCache manifests;
  private final ManifestPushes pushes;

  RepositoryWriter(
      BlobStore blobs,
      MetadataStore metadata,
      Clock clock,
      ManifestCache manifests,
      ManifestPushes pushes) {
    this.blobs = blobs;
    this.metadata = metadata;
    this.clock = clock;
    this.manifests = manifests;
    this.pushes = pushes;
  }

  /** A copy in progress: garbage collection spares what it writes until it is closed. */
  public interface Copy extends AutoCloseable {
    @Override
    void close();
  }

  public Copy begin() {
    ManifestPushes.Push push = pushes.begin();
    return push::close;
  }

  /** True when the repository has the blob linked and its bytes are stored. */
  public boolean hasBlob(String registryKey, String repository, Digest digest) throws IOException {
    return metadata.repository(registryKey, repository).hasBlob(digest)
        && blobs.stat(digest).isPresent();
  }

  /** Links a blob already stored (by any repository) into this one; false when it is not. */
  public boolean linkStored(String registryKey, String repository, Digest digest)
      throws IOException {
    if (blobs.stat(digest).isEmpty() || !blobs.retain(digest)) {
      return false;
    }
    metadata.repository(registryKey, repository).linkBlob(digest, clock.instant());
    return true;
  }

  /** Stores a blob, checking its bytes against {@code digest}, and links it into the repository. */
  public void putBlob(String registryKey, String repository, Digest digest, InputStream content)
      throws IOException {
    blobs.put(digest, content);
    metadata.repository(registryKey, repository).linkBlob(digest, clock.instant());
  }

  /**
   * Stores a manifest (checked as a push is: a {@link dev.berth.registry.RegistryException} when it
   * is malformed or names what the repository lacks) and tags it.
   *
   * @return its digest
   */
  public Digest putManifest(
      String registryKey, String repository, byte[] body, String mediaType, Set<String> tags)
      throws IOException {
    ParsedManifest manifest = ParsedManifest.parse(body, Optional.of(mediaType));
    Digest digest = Digest.sha256(body);
    RepositoryMetadata repo = metadata.repository(registryKey, repository);
    try {
      ManifestWrites.checkReferences(repo, manifest, blobs);
    } catch (RegistryErrors e) {
      throw e.errors().get(0);
    }
    blobs.put(digest, new ByteArrayInputStream(body));
    ManifestWrites.store(repo, digest, manifest, body, tags, clock.instant());
    manifests.put(digest, new ManifestCache.Entry(manifest.mediaType(), body));
    return digest;
  }

  /** The digest a tag names in the repository, if it has that tag. */
  public Optional<Digest> tag(String registryKey, String repository, String tag)
      throws IOException {
    return metadata
        .repository(registryKey, repository)
        .tag(tag)
        .map(RepositoryMetadata.Tag::digest);
  }
}
