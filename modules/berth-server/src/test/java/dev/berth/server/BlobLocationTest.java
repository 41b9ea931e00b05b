package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a data directory's blobs are is recorded only once a store there has opened. */
class BlobLocationTest {

  @Test
  void aBlobStoreThatDoesNotOpenIsNotRecordedAsTheRegistriesOwn(@TempDir Path root)
      throws Exception {
    DataDir dir = new DataDir(root);
    // Valid as given (a key in this map), but the test JVM's environment has none to open it with.
    ServerConfig onAzure =
        ServerConfig.of(dir, "127.0.0.1", 0)
            .withBlobsOption(
                "azure-blob:https://acct.blob.core.windows.net/berth",
                Map.of("AZURE_STORAGE_KEY", "a2V5"));
    assertThat(System.getenv("AZURE_STORAGE_KEY")).isNull();

    assertThatThrownBy(() -> BlobLocation.open(onAzure)).hasMessageContaining("AZURE_STORAGE_KEY");
    assertThat(BlobLocation.recorded(dir)).isEmpty();

    // So the next start, on the data directory, is not refused for blobs that never moved.
    BlobLocation.open(ServerConfig.of(dir, "127.0.0.1", 0));
    assertThat(BlobLocation.recorded(dir)).hasValue(BlobLocation.DATA_DIRECTORY);
  }
}
