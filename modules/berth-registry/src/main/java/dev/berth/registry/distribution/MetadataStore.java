package dev.berth.registry.distribution;

import dev.berth.api.files.PrivateFiles;
import dev.berth.registry.blob.BlobPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Repository metadata of every registry (which blobs a repository may serve, its manifests, tags
 * and referrers) as small link files under the storage root, laid out by {@link BlobPaths}.
 * Thread-safe: each file is replaced atomically, and compound changes of one repository (a manifest
 * with its tags and referrer links) run under that repository's lock.
 */
public final class MetadataStore {

  private static final Logger LOG = LoggerFactory.getLogger(MetadataStore.class);

  private final BlobPaths paths;
  private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
  private final List<BiConsumer<String, String>> tagListeners = new CopyOnWriteArrayList<>();

  private MetadataStore(Path root) {
    this.paths = new BlobPaths(root);
  }

  /** The metadata under {@code root}, the same root the filesystem blob store uses. */
  public static MetadataStore open(Path root) throws IOException {
    MetadataStore store = new MetadataStore(root);
    PrivateFiles.createDirectories(store.paths.registries());
    return store;
  }

  /** A handle on one repository (it need not exist yet); {@code name} must be validated. */
  public RepositoryMetadata repository(String registry, String name) {
    return new RepositoryMetadata(
        paths,
        paths.repository(registry, name),
        locks.computeIfAbsent(registry + "/" + name, k -> new ReentrantLock()),
        () -> tagListeners.forEach(l -> l.accept(registry, name)));
  }

  /**
   * Calls {@code listener} with the storage key and repository after a tag is written (a push, an
   * import), whichever path wrote it: a revision whose image was missing pulls again at once
   * (docs/reconciler.md). Listeners run on the writer's thread and must be quick.
   */
  public void onTagged(BiConsumer<String, String> listener) {
    tagListeners.add(listener);
  }

  /** Storage keys of every registry that has, or had, repositories, sorted. */
  public List<String> registries() throws IOException {
    return stored().stream().filter(key -> !key.startsWith(".")).toList();
  }

  /**
   * Every directory under {@code registries/}, sorted: the registries' storage keys and the trees
   * {@link #deleteRegistry} set aside and could not finish deleting (their names start with {@code
   * .}).
   */
  List<String> stored() throws IOException {
    List<String> keys = new ArrayList<>();
    try (DirectoryStream<Path> dirs =
        Files.newDirectoryStream(paths.registries(), Files::isDirectory)) {
      for (Path dir : dirs) {
        keys.add(dir.getFileName().toString());
      }
    }
    keys.sort(null);
    return keys;
  }

  /**
   * Removes every repository, manifest, tag and link of the registry stored under {@code key} (its
   * blobs then go at the next garbage collection). The tree is first renamed aside, so a reader
   * sees all of it or none of it and a crash part-way leaves no half registry; a failure deleting
   * what was set aside is logged, not thrown: the garbage collector removes it later. Idempotent.
   *
   * @param key a storage key, or a name {@link #stored} returned
   * @return whether there was anything to remove
   * @throws IOException when the tree could not be set aside (it is then untouched)
   */
  public boolean deleteRegistry(String key) throws IOException {
    if (key.isEmpty() || key.contains("/") || key.equals(".") || key.equals("..")) {
      throw new IllegalArgumentException("not a storage key: " + key);
    }
    Path tree = paths.registries().resolve(key);
    Path aside =
        key.startsWith(".") ? tree : paths.registries().resolve(".deleted-" + UUID.randomUUID());
    if (!aside.equals(tree)) {
      try {
        Files.move(tree, aside, StandardCopyOption.ATOMIC_MOVE);
      } catch (NoSuchFileException e) {
        return false;
      }
    }
    try {
      deleteTree(aside);
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("registry storage {}: could not delete {}; garbage collection will", key, aside, e);
    }
    return true;
  }

  /** Deletes {@code root} and everything under it; what vanishes meanwhile is skipped. */
  private static void deleteTree(Path root) throws IOException {
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.deleteIfExists(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            if (e instanceof NoSuchFileException) {
              return FileVisitResult.CONTINUE;
            }
            throw e;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            if (e != null && !(e instanceof NoSuchFileException)) {
              throw e;
            }
            Files.deleteIfExists(dir);
            return FileVisitResult.CONTINUE;
          }
        });
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
    } catch (NoSuchFileException e) {
      // deleted while being listed: it holds no repository any more
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
