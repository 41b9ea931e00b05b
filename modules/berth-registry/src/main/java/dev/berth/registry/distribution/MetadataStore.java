package dev.berth.registry.distribution;

import dev.berth.api.files.PrivateFiles;
import dev.berth.registry.blob.BlobPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Repository metadata of every registry (which blobs a repository may serve, its manifests, tags
 * and referrers) as small link files under the storage root, laid out by {@link BlobPaths}.
 * Thread-safe: each file is replaced atomically, and compound changes of one repository (a manifest
 * with its tags and referrer links) run under that repository's lock.
 */
public final class MetadataStore {

  private final BlobPaths paths;
  private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

  private MetadataStore(Path root) {
    this.paths = new BlobPaths(root);
  }

  /** The metadata under {@code root}, the same root the filesystem blob store uses. */
  public static MetadataStore open(Path root) throws IOException {
    MetadataStore store = new MetadataStore(root);
    PrivateFiles.createDirectories(store.paths.root().resolve("registries"));
    return store;
  }

  /** A handle on one repository (it need not exist yet); {@code name} must be validated. */
  public RepositoryMetadata repository(String registry, String name) {
    return new RepositoryMetadata(
        paths,
        paths.repository(registry, name),
        locks.computeIfAbsent(registry + "/" + name, k -> new ReentrantLock()));
  }

  /** Storage keys of every registry that has, or had, repositories, sorted. */
  public List<String> registries() throws IOException {
    List<String> keys = new ArrayList<>();
    try (DirectoryStream<Path> dirs =
        Files.newDirectoryStream(paths.root().resolve("registries"), Files::isDirectory)) {
      for (Path dir : dirs) {
        keys.add(dir.getFileName().toString());
      }
    }
    keys.sort(null);
    return keys;
  }

  /** Names of the registry's repositories that hold a blob or a manifest, sorted. */
  public List<String> repositories(String registry) {
    List<String> names = new ArrayList<>();
    Path root = paths.repositories(registry);
    if (Files.isDirectory(root)) {
      collect(root, "", names);
    }
    names.sort(null);
    return names;
  }

  private static void collect(Path dir, String prefix, List<String> names) {
    try (DirectoryStream<Path> children = Files.newDirectoryStream(dir, Files::isDirectory)) {
      for (Path child : children) {
        String component = child.getFileName().toString();
        if (component.startsWith("_") || component.startsWith(".")) {
          continue;
        }
        String name = prefix + component;
        if (Files.isDirectory(child.resolve("_manifests"))
            || Files.isDirectory(child.resolve("_layers"))) {
          names.add(name);
        }
        collect(child, name + "/", names);
      }
    } catch (java.nio.file.NoSuchFileException e) {
      // deleted while being listed: it holds no repository any more
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
