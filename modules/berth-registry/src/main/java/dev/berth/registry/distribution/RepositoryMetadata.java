package dev.berth.registry.distribution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.files.PrivateFiles;
import dev.berth.http.Json;
import dev.berth.registry.blob.BlobPaths;
import dev.berth.registry.blob.Digest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * One repository's link files (see {@link BlobPaths} for the layout). Thread-safe: single files are
 * replaced atomically; callers wrap compound changes in {@link #locked}.
 */
public final class RepositoryMetadata {

  /** One stored manifest of the repository. */
  public record Revision(
      Digest digest,
      String mediaType,
      long size,
      Instant created,
      Optional<Digest> subject,
      Optional<String> artifactType) {}

  /** One tag and the manifest it points at. */
  public record Tag(String name, Digest digest, Instant created, Instant updated) {}

  private final BlobPaths paths;
  private final Path dir;
  private final ReentrantLock lock;
  private final Runnable tagged;

  RepositoryMetadata(BlobPaths paths, Path dir, ReentrantLock lock, Runnable tagged) {
    this.paths = paths;
    this.dir = dir;
    this.lock = lock;
    this.tagged = tagged;
  }

  /** Runs {@code change} while no other compound change of this repository runs. */
  public <T> T locked(IoSupplier<T> change) throws IOException {
    lock.lock();
    try {
      return change.get();
    } finally {
      lock.unlock();
    }
  }

  /** A step that may fail with I/O. */
  @FunctionalInterface
  public interface IoSupplier<T> {
    T get() throws IOException;
  }

  public boolean exists() {
    return Files.isDirectory(paths.layers(dir)) || Files.isDirectory(dir.resolve("_manifests"));
  }

  public Instant created() {
    try {
      return Instant.parse(Files.readString(paths.created(dir)).strip());
    } catch (IOException | RuntimeException e) {
      return Instant.EPOCH;
    }
  }

  private void ensureCreated(Instant now) throws IOException {
    if (!Files.exists(paths.created(dir))) {
      PrivateFiles.createDirectories(dir);
      write(paths.created(dir), now.toString().getBytes(StandardCharsets.UTF_8));
    }
  }

  public void linkBlob(Digest digest, Instant now) throws IOException {
    ensureCreated(now);
    Path link = paths.layers(dir).resolve(digest.fileName());
    if (!Files.exists(link)) {
      write(link, new byte[0]);
    }
  }

  public boolean hasBlob(Digest digest) {
    return Files.exists(paths.layers(dir).resolve(digest.fileName()));
  }

  public boolean unlinkBlob(Digest digest) throws IOException {
    return Files.deleteIfExists(paths.layers(dir).resolve(digest.fileName()));
  }

  public void linkUpload(String uploadId) throws IOException {
    write(paths.uploadLinks(dir).resolve(uploadId), new byte[0]);
  }

  public boolean ownsUpload(String uploadId) {
    return !uploadId.startsWith(".")
        && !uploadId.contains("/")
        && Files.exists(paths.uploadLinks(dir).resolve(uploadId));
  }

  public void unlinkUpload(String uploadId) throws IOException {
    Files.deleteIfExists(paths.uploadLinks(dir).resolve(uploadId));
  }

  public boolean hasRevision(Digest digest) {
    return Files.exists(paths.revisions(dir).resolve(digest.fileName()));
  }

  public Optional<Revision> revision(Digest digest) throws IOException {
    return readJson(paths.revisions(dir).resolve(digest.fileName()))
        .map(RepositoryMetadata::toRevision);
  }

  public void putRevision(Revision revision) throws IOException {
    ensureCreated(revision.created());
    ObjectNode json =
        Json.object()
            .put("digest", revision.digest().toString())
            .put("mediaType", revision.mediaType())
            .put("size", revision.size())
            .put("createdTime", revision.created().toString());
    revision.subject().ifPresent(s -> json.put("subject", s.toString()));
    revision.artifactType().ifPresent(a -> json.put("artifactType", a));
    write(paths.revisions(dir).resolve(revision.digest().fileName()), Json.bytes(json));
  }

  public boolean deleteRevision(Digest digest) throws IOException {
    return Files.deleteIfExists(paths.revisions(dir).resolve(digest.fileName()));
  }

  public List<Revision> revisions() throws IOException {
    List<Revision> all = new ArrayList<>();
    for (Path file : list(paths.revisions(dir))) {
      readJson(file).map(RepositoryMetadata::toRevision).ifPresent(all::add);
    }
    all.sort(Comparator.comparing(r -> r.digest().toString()));
    return all;
  }

  private static Revision toRevision(JsonNode json) {
    return new Revision(
        Digest.parse(json.path("digest").asText()),
        json.path("mediaType").asText(),
        json.path("size").asLong(),
        Instant.parse(json.path("createdTime").asText()),
        Digest.tryParse(json.path("subject").asText("")),
        Optional.ofNullable(json.path("artifactType").textValue()));
  }

  public Optional<Tag> tag(String name) throws IOException {
    return readJson(paths.tags(dir).resolve(name)).map(json -> toTag(name, json));
  }

  /** Points {@code name} at {@code digest}, keeping the tag's creation time if it existed. */
  public void putTag(String name, Digest digest, Instant now) throws IOException {
    Instant created = tag(name).map(Tag::created).orElse(now);
    ensureCreated(now);
    write(
        paths.tags(dir).resolve(name),
        Json.bytes(
            Json.object()
                .put("digest", digest.toString())
                .put("createdTime", created.toString())
                .put("lastUpdateTime", now.toString())));
    tagged.run();
  }

  public boolean deleteTag(String name) throws IOException {
    return Files.deleteIfExists(paths.tags(dir).resolve(name));
  }

  /** Every tag, sorted by name. */
  public List<Tag> tags() throws IOException {
    List<Tag> all = new ArrayList<>();
    for (Path file : list(paths.tags(dir))) {
      String name = file.getFileName().toString();
      readJson(file).map(json -> toTag(name, json)).ifPresent(all::add);
    }
    all.sort(Comparator.comparing(Tag::name));
    return all;
  }

  private static Tag toTag(String name, JsonNode json) {
    return new Tag(
        name,
        Digest.parse(json.path("digest").asText()),
        Instant.parse(json.path("createdTime").asText()),
        Instant.parse(json.path("lastUpdateTime").asText()));
  }

  public void addReferrer(Digest subject, Digest referrer, JsonNode descriptor) throws IOException {
    write(paths.referrers(dir, subject).resolve(referrer.fileName()), Json.bytes(descriptor));
  }

  public void removeReferrer(Digest subject, Digest referrer) throws IOException {
    Files.deleteIfExists(paths.referrers(dir, subject).resolve(referrer.fileName()));
  }

  /** Descriptors of the manifests whose {@code subject} is {@code subject}, by digest. */
  public List<JsonNode> referrers(Digest subject) throws IOException {
    List<JsonNode> all = new ArrayList<>();
    for (Path file : list(paths.referrers(dir, subject))) {
      readJson(file).ifPresent(all::add);
    }
    all.sort(Comparator.comparing(n -> n.path("digest").asText()));
    return all;
  }

  /** Removes the whole repository directory (not nested repositories below it). */
  public void deleteAll() throws IOException {
    // Manifests and tags first, blob links last: a kill part-way leaves some images still listed,
    // each of them whole, never a manifest whose layers this repository no longer serves.
    for (String part : List.of("_manifests", "_referrers", "_layers", "_uploads", "_created")) {
      deleteTree(dir.resolve(part));
    }
    try {
      Files.deleteIfExists(dir);
    } catch (DirectoryNotEmptyException e) {
      // nested repositories live below this one
    }
  }

  private static void deleteTree(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static List<Path> list(Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      for (Path p : stream) {
        if (!p.getFileName().toString().startsWith(".")) {
          files.add(p);
        }
      }
    } catch (NoSuchFileException e) {
      return files;
    }
    return files;
  }

  private static Optional<JsonNode> readJson(Path file) throws IOException {
    try {
      return Optional.of(Json.parse(Files.readAllBytes(file)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** Writes a sibling temp file, syncs it and renames it over {@code target}. */
  private static void write(Path target, byte[] content) throws IOException {
    PrivateFiles.createDirectories(target.getParent());
    Path tmp = target.resolveSibling(".tmp-" + UUID.randomUUID());
    try {
      try (FileChannel out =
          PrivateFiles.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
        out.force(true);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
