package dev.berth.registry.distribution.internal;

import dev.berth.registry.RegistryErrorCode;
import dev.berth.registry.RegistryException;
import dev.berth.registry.blob.BlobStore;
import dev.berth.registry.blob.Digest;
import dev.berth.registry.distribution.RepositoryMetadata;
import dev.berth.registry.distribution.RepositoryMetadata.Revision;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The two steps every manifest write takes, whether a client pushes it ({@link ManifestHandler}) or
 * an import copies it ({@link dev.berth.registry.distribution.RepositoryWriter}): check that what
 * it names is here, then record it. Stateless.
 */
public final class ManifestWrites {

  private ManifestWrites() {}

  /** Writes the revision, its tags and its referrer link, as one change of the repository. */
  public static void store(
      RepositoryMetadata repo,
      Digest digest,
      ParsedManifest manifest,
      byte[] body,
      Set<String> tags,
      Instant now)
      throws IOException {
    repo.locked(
        () -> {
          Optional<Revision> old = repo.revision(digest);
          repo.putRevision(
              new Revision(
                  digest,
                  manifest.mediaType(),
                  body.length,
                  old.map(Revision::created).orElse(now),
                  manifest.subject(),
                  manifest.artifactType()));
          for (String tag : tags) {
            repo.putTag(tag, digest, now);
          }
          if (manifest.subject().isPresent()) {
            repo.addReferrer(
                manifest.subject().get(), digest, manifest.descriptor(digest, body.length));
          }
          return null;
        });
  }

  /**
   * Every blob must be linked here and stored (one error per missing one); every child a revision.
   * Each is retained as it is checked, so a garbage collection either spares it or deleted it
   * before, and then the push is refused rather than left naming bytes that are gone.
   */
  public static void checkReferences(
      RepositoryMetadata repo, ParsedManifest manifest, BlobStore blobs) throws IOException {
    List<RegistryException> missing = new ArrayList<>();
    for (Digest blob : new LinkedHashSet<>(manifest.blobs())) {
      if (!repo.hasBlob(blob) || !blobs.retain(blob)) {
        missing.add(
            RegistryException.of(
                RegistryErrorCode.MANIFEST_BLOB_UNKNOWN,
                "blob unknown to registry",
                blob.toString()));
      }
    }
    for (Digest child : new LinkedHashSet<>(manifest.children())) {
      if (!repo.hasRevision(child) || !blobs.retain(child)) {
        missing.add(
            RegistryException.of(
                RegistryErrorCode.MANIFEST_UNKNOWN, "manifest unknown", child.toString()));
      }
    }
    if (!missing.isEmpty()) {
      throw new RegistryErrors(missing);
    }
  }
}
