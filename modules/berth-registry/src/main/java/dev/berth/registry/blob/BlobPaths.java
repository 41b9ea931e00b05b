package dev.berth.registry.blob;

import java.nio.file.Path;

/**
 * Where everything of the filesystem registry storage lives under its root, drawn once here
 * (distribution's {@code registry/storage/paths.go}). Immutable and thread-safe.
 *
 * <pre>
 * &lt;root&gt;/
 * ├── blobs/
 * │   └── sha256/ab/abcdef…                 content named by its digest; appears only by rename
 * ├── uploads/
 * │   └── &lt;uuid&gt;                             bytes of a resumable upload so far; mtime = last use
 * ├── tmp/
 * │   └── put-&lt;uuid&gt;                         a one-shot put being written and hashed
 * ├── registries/.deleted-&lt;uuid&gt;/        a deleted registry's tree, set aside until it is gone
 * └── registries/&lt;storage key&gt;/repositories/&lt;name/with/slashes&gt;/
 *     ├── _created                          the repository's creation instant (ISO-8601)
 *     ├── _layers/sha256-abcdef…            empty: this repository may serve that blob
 *     ├── _manifests/
 *     │   ├── revisions/sha256-abcdef…      JSON {mediaType, size, createdTime, subject, artifactType}
 *     │   └── tags/&lt;tag&gt;                    JSON {digest, createdTime, lastUpdateTime}
 *     ├── _referrers/sha256-&lt;subject&gt;/sha256-&lt;referrer&gt;   the referrer's descriptor JSON
 *     └── _uploads/&lt;uuid&gt;                   empty: this repository started that upload
 * </pre>
 *
 * Manifest bytes are blobs like any other. Link and metadata files are written to a {@code .tmp-…}
 * sibling and renamed, so readers see the old or the new file, never half of one; names starting
 * with {@code .} are never listed. Repository name components cannot start with {@code _} (OCI
 * grammar), so the {@code _…} directories never collide with nested repositories.
 */
public final class BlobPaths {

  private final Path root;

  public BlobPaths(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  public Path blob(Digest digest) {
    return root.resolve("blobs")
        .resolve(digest.algorithm())
        .resolve(digest.hex().substring(0, 2))
        .resolve(digest.hex());
  }

  public Path uploads() {
    return root.resolve("uploads");
  }

  public Path upload(String uuid) {
    return uploads().resolve(uuid);
  }

  public Path tmp() {
    return root.resolve("tmp");
  }

  /** Where every registry's metadata lives, one directory per storage key. */
  public Path registries() {
    return root.resolve("registries");
  }

  public Path repositories(String registry) {
    return registries().resolve(registry).resolve("repositories");
  }

  /** The repository's directory; {@code name} must already be validated (no {@code ..}). */
  public Path repository(String registry, String name) {
    return repositories(registry).resolve(name);
  }

  public Path created(Path repository) {
    return repository.resolve("_created");
  }

  public Path layers(Path repository) {
    return repository.resolve("_layers");
  }

  public Path revisions(Path repository) {
    return repository.resolve("_manifests").resolve("revisions");
  }

  public Path tags(Path repository) {
    return repository.resolve("_manifests").resolve("tags");
  }

  public Path referrers(Path repository, Digest subject) {
    return repository.resolve("_referrers").resolve(subject.fileName());
  }

  public Path uploadLinks(Path repository) {
    return repository.resolve("_uploads");
  }
}
