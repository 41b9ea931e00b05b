package dev.berth.registry.distribution;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.http.Json;
import dev.berth.registry.RegistryDirectory;
import dev.berth.registry.blob.BlobReader;
import dev.berth.registry.blob.BlobStore;
import dev.berth.registry.blob.Digest;
import dev.berth.registry.distribution.internal.ManifestPushes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Registry garbage collection, mark and sweep: deletes the blobs that no manifest of any repository
 * of any registry references, once they have gone unused for a grace period. Blob bytes are shared
 * by every registry, so the mark covers them all. First it removes the metadata of registries that
 * no longer exist (a storage key no registry document holds): what a registry delete could not
 * remove, or a push still running when its registry went, wrote after; their blobs then go in the
 * same collection.
 *
 * <p>Why removing a dead registry's tree is safe: the trees are listed before the registries are
 * read, and a tree appears only when a push reaches a registry that exists. So a tree listed whose
 * key no registry holds once the listing is done belongs to a registry deleted since; storage keys
 * are never reused (a registry created under the same name gets a new one), so none will again.
 *
 * <p>Why it is safe against pushes running beside it (distribution documents the race its own
 * offline GC has): a blob's mtime is when it was last written or retained, and a manifest PUT
 * retains every blob it references before it writes its revision, atomically with the sweep's
 * check-and-delete of that digest ({@link BlobStore#retain}). The sweep deletes only blobs unused
 * since {@code cutoff} = the collection's start minus the grace period, moved back to the start of
 * the oldest manifest push still running ({@link ManifestPushes}). So a push whose revision the
 * mark did not see retained its blobs after the cutoff, or found them gone and answered {@code
 * MANIFEST_BLOB_UNKNOWN}; a blob uploaded but not yet referenced survives the grace period; uploads
 * in flight live in {@code uploads/} and are not blobs yet. The grace period must be longer than a
 * client's pause between pushing a blob and pushing the manifest that needs it.
 *
 * <p>Thread-safe; one collection runs at a time.
 */
public final class GarbageCollector {

  /** What one collection did. */
  public record Report(
      int registriesDeleted,
      int manifests,
      int blobsInUse,
      int blobsDeleted,
      long bytesFreed,
      int unreferencedKept,
      Duration took) {}

  private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);

  private final BlobStore blobs;
  private final MetadataStore metadata;
  private final ManifestPushes pushes;
  private final RegistryDirectory registries;

  GarbageCollector(
      BlobStore blobs,
      MetadataStore metadata,
      ManifestPushes pushes,
      RegistryDirectory registries) {
    this.blobs = blobs;
    this.metadata = metadata;
    this.pushes = pushes;
    this.registries = registries;
  }

  /** Marks what every manifest references, then deletes the rest unused for {@code grace}. */
  public synchronized Report collect(Duration grace) throws IOException {
    Instant started = Instant.now();
    Instant cutoff = started.minus(grace);
    Optional<Instant> oldestPush = pushes.oldestStart();
    if (oldestPush.isPresent() && oldestPush.get().isBefore(cutoff)) {
      cutoff = oldestPush.get();
    }
    int registriesDeleted = deleteDeadRegistries();
    Set<Digest> marked = new HashSet<>();
    int manifests = mark(marked);
    int inUse = 0;
    int deleted = 0;
    int kept = 0;
    long freed = 0;
    for (Digest digest : blobs.digests()) {
      if (marked.contains(digest)) {
        inUse++;
        continue;
      }
      OptionalLong bytes = blobs.deleteIfUnusedSince(digest, cutoff);
      if (bytes.isPresent()) {
        deleted++;
        freed += bytes.getAsLong();
        LOG.debug("registry gc deleted {} ({} bytes)", digest, bytes.getAsLong());
      } else {
        kept++;
      }
    }
    Report report =
        new Report(
            registriesDeleted,
            manifests,
            inUse,
            deleted,
            freed,
            kept,
            Duration.between(started, Instant.now()));
    // What it freed is worth a line; an hourly "nothing to do" is not.
    LOG.atLevel(deleted > 0 || registriesDeleted > 0 ? Level.INFO : Level.DEBUG)
        .log(
            "registry gc: deleted the metadata of {} deleted registries; {} manifests reference {}"
                + " blobs; deleted {} unreferenced blobs ({} bytes), kept {} used within the last"
                + " {}; took {} ms",
            report.registriesDeleted(),
            report.manifests(),
            report.blobsInUse(),
            report.blobsDeleted(),
            report.bytesFreed(),
            report.unreferencedKept(),
            grace,
            report.took().toMillis());
    return report;
  }

  /**
   * Removes the metadata trees whose storage key no registry holds; how many. The trees are listed
   * before the registries are read (see the class comment).
   */
  private int deleteDeadRegistries() throws IOException {
    List<String> stored = metadata.stored();
    if (stored.isEmpty()) {
      return 0;
    }
    Set<String> live = registries.storageKeys();
    int deleted = 0;
    for (String key : stored) {
      if (!live.contains(key) && metadata.deleteRegistry(key)) {
        deleted++;
        LOG.info("registry gc: deleted the repositories of deleted registry storage {}", key);
      }
    }
    return deleted;
  }

  /** Adds every manifest and every digest each one names to {@code marked}; the manifest count. */
  private int mark(Set<Digest> marked) throws IOException {
    int manifests = 0;
    for (String registry : metadata.registries()) {
      for (String name : metadata.repositories(registry)) {
        for (RepositoryMetadata.Revision revision :
            metadata.repository(registry, name).revisions()) {
          manifests++;
          marked.add(revision.digest());
          references(revision.digest(), registry + "/" + name, marked);
        }
      }
    }
    return manifests;
  }

  /**
   * Every {@code digest} field anywhere in the manifest: config and layers, an index's manifests, a
   * subject. Reading more fields than the media type defines can only keep more, never less.
   */
  private void references(Digest manifest, String repository, Set<Digest> marked)
      throws IOException {
    Optional<BlobReader> opened = blobs.open(manifest);
    if (opened.isEmpty()) {
      LOG.warn("registry gc: manifest {} of {} has no bytes", manifest, repository);
      return;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (BlobReader reader = opened.get()) {
      reader.copyTo(Channels.newChannel(bytes), 0, reader.size());
    }
    JsonNode json;
    try {
      json = Json.parse(bytes.toByteArray());
    } catch (IOException | RuntimeException e) {
      LOG.warn("registry gc: manifest {} of {} is not JSON", manifest, repository);
      return;
    }
    collect(json, marked);
  }

  private static void collect(JsonNode node, Set<Digest> marked) {
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (field.getKey().equals("digest") && field.getValue().isTextual()) {
          Digest.tryParse(field.getValue().asText()).ifPresent(marked::add);
        } else {
          collect(field.getValue(), marked);
        }
      }
    } else if (node.isArray()) {
      node.forEach(child -> collect(child, marked));
    }
  }
}
