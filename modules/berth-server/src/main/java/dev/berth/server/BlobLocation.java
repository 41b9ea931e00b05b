package dev.berth.server;

import dev.berth.api.files.PrivateFiles;
import dev.berth.registry.blob.BlobStore;
import dev.berth.registry.blob.BlobStores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where a data directory's registries keep their blobs, recorded beside their metadata ({@code
 * registry/blob-location}) at the first start that stores any, and checked at every start after:
 * repositories whose blobs are elsewhere than configured would answer every pull with {@code
 * BLOB_UNKNOWN}, so Berth stops and says how to move them ({@code berth blobs copy}). The record
 * holds a location, never a credential.
 */
final class BlobLocation {

  /** The record's word for the data directory's own {@code registry/}. */
  static final String DATA_DIRECTORY = "data-directory";

  private BlobLocation() {}

  /** The location {@code config} asks for, as the record spells it. */
  static String configured(ServerConfig config) {
    return config.blobs().orElse(DATA_DIRECTORY);
  }

  /**
   * Where the registries of {@code dir} keep their blobs: the record; without one (a data directory
   * from before the record, or new), the data directory if it holds repositories.
   */
  static Optional<String> recorded(DataDir dir) throws IOException {
    Path record = file(dir);
    if (Files.exists(record)) {
      return Optional.of(Files.readString(record).strip());
    }
    Path registries = dir.registry().resolve("registries");
    if (Files.isDirectory(registries)) {
      try (Stream<Path> any = Files.list(registries)) {
        if (any.findAny().isPresent()) {
          return Optional.of(DATA_DIRECTORY);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The blob store {@code config} asks for, opened: refused when the registries' blobs are
   * elsewhere (naming both places and the command that moves them), recorded as theirs otherwise.
   */
  static BlobStore open(ServerConfig config) throws IOException {
    DataDir dir = config.dataDir();
    String configured = configured(config);
    Optional<String> recorded = recorded(dir);
    if (recorded.isPresent() && !recorded.get().equals(configured)) {
      throw new IllegalStateException(
          "the registries of "
              + dir.root()
              + " keep their blobs in "
              + describe(recorded.get(), dir)
              + ", not in "
              + describe(configured, dir)
              + ". Start Berth with "
              + (recorded.get().equals(DATA_DIRECTORY)
                  ? "no --blobs"
                  : "--blobs '" + recorded.get() + "'")
              + ", or move them first (Berth stopped): bin/berth blobs copy --to '"
              + configured
              + "' --data-dir "
              + dir.root());
    }
    BlobStore store = open(configured, dir);
    // Only once it opened: a store that could not be reached holds nothing of the registries'.
    record(dir, configured);
    return store;
  }

  /** Opens {@code location} as the record spells it: the data directory's, or a store's URL. */
  static BlobStore open(String location, DataDir dir) throws IOException {
    return BlobStores.open(
        location.equals(DATA_DIRECTORY) ? dir.registry().toUri().toString() : location);
  }

  static void record(DataDir dir, String location) throws IOException {
    PrivateFiles.createDirectories(dir.registry());
    PrivateFiles.writeString(file(dir), location + "\n");
  }

  /** A location for messages: the data directory's with its path. */
  static String describe(String location, DataDir dir) {
    return location.equals(DATA_DIRECTORY)
        ? "the data directory (" + dir.registry() + ")"
        : location;
  }

  private static Path file(DataDir dir) {
    return dir.registry().resolve("blob-location");
  }
}
