package dev.berth.registry.blob;

import dev.berth.registry.blob.internal.FileSystemBlobStore;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Opens a {@link BlobStore} driver by the scheme of a location, like distribution's storage driver
 * factory: {@code file:/abs/dir} is the filesystem driver. Thread-safe.
 */
public final class BlobStores {

  /** Uploads idle longer than this are purged unless the caller says otherwise. */
  public static final Duration DEFAULT_UPLOAD_TTL = Duration.ofHours(24);

  private BlobStores() {}

  public static BlobStore open(String location) throws IOException {
    return open(location, DEFAULT_UPLOAD_TTL);
  }

  /**
   * @throws IllegalArgumentException for a scheme no driver serves
   */
  public static BlobStore open(String location, Duration uploadTtl) throws IOException {
    URI uri = URI.create(location);
    return switch (uri.getScheme() == null ? "" : uri.getScheme()) {
      case "file" -> FileSystemBlobStore.open(Path.of(uri), uploadTtl);
      default -> throw new IllegalArgumentException("no blob store driver for " + location);
    };
  }
}
