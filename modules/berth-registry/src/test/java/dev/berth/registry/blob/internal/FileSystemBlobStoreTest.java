package dev.berth.registry.blob.internal;

import dev.berth.registry.blob.BlobStore;
import dev.berth.registry.blob.BlobStoreConformance;
import dev.berth.registry.blob.BlobStores;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;

class FileSystemBlobStoreTest extends BlobStoreConformance {

  @TempDir Path dir;
  private int stores;

  @Override
  protected BlobStore newStore() throws Exception {
    return BlobStores.open(dir.resolve("s" + stores++).toUri().toString(), Duration.ofHours(1));
  }
}
