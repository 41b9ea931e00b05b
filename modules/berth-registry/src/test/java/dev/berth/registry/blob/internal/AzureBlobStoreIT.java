package dev.berth.registry.blob.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.registry.blob.BlobStore;
import dev.berth.registry.blob.BlobStoreConformance;
import dev.berth.registry.blob.BlobStoreException;
import dev.berth.registry.blob.BlobStores;
import dev.berth.registry.blob.Digest;
import dev.berth.registry.testing.Azurite;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Azure Blob Storage driver passes the conformance suite against Azurite, each store in a new
 * container; and it is opened by its {@code azure-blob:} location with the key from the
 * environment.
 */
class AzureBlobStoreIT extends BlobStoreConformance {

  private static Azurite azurite;
  private static int containers;

  @BeforeAll
  static void start() throws Exception {
    azurite = Azurite.start();
  }

  @AfterAll
  static void stop() {
    if (azurite != null) {
      azurite.close();
    }
  }

  @Override
  protected BlobStore newStore() throws Exception {
    return open("store" + containers++);
  }

  private static BlobStore open(String container) throws Exception {
    return BlobStores.open(
        BlobStores.AZURE_BLOB + ":" + azurite.containerUrl(container),
        Duration.ofHours(1),
        Map.of(BlobStores.AZURE_STORAGE_KEY, Azurite.KEY));
  }

  @Test
  void anUploadCommittedByAnotherProcessIsHashedFromTheServiceAndChecked() throws Exception {
    // The hash kept while chunks arrive is this process's; another one (or this one restarted)
    // reads the bytes back.
    BlobStore first = open("shared");
    BlobStore second = open("shared");
    byte[] content = bytes(3 * 1024 * 1024, 22);
    Digest d = Digest.sha256(content);
    String id = first.startUpload();
    first.append(id, 0, new ByteArrayInputStream(content, 0, 1024));
    second.append(id, 1024, new ByteArrayInputStream(content, 1024, content.length - 1024));
    assertThatThrownBy(() -> first.commitUpload(id, Digest.sha256(bytes(1, 1))))
        .isInstanceOf(BlobStoreException.class);
    assertThat(first.commitUpload(id, d).size()).isEqualTo(content.length);
    assertThat(second.stat(d).orElseThrow().size()).isEqualTo(content.length);
  }

  @Test
  void blocksOfSeveralMegabytesMakeOneBlob() throws Exception {
    BlobStore store = newStore();
    byte[] content = bytes(20 * 1024 * 1024 + 17, 21);
    Digest d = Digest.sha256(content);
    assertThat(store.put(d, new ByteArrayInputStream(content)).size()).isEqualTo(content.length);
    String id = store.startUpload();
    store.append(id, 0, new ByteArrayInputStream(content, 0, 9 * 1024 * 1024));
    store.append(
        id,
        9 * 1024 * 1024,
        new ByteArrayInputStream(content, 9 * 1024 * 1024, content.length - 9 * 1024 * 1024));
    assertThat(store.commitUpload(id, d).size()).isEqualTo(content.length);
    assertThat(store.stat(d).orElseThrow().size()).isEqualTo(content.length);
  }

  @Test
  void aWrongKeyOrNoKeyIsRefusedAtOpen() {
    String location = BlobStores.AZURE_BLOB + ":" + azurite.containerUrl("keys");
    assertThatThrownBy(() -> BlobStores.open(location, Duration.ofHours(1), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("AZURE_STORAGE_KEY");
    String wrong = "A" + Azurite.KEY.substring(1);
    assertThatThrownBy(
            () ->
                BlobStores.open(
                    location, Duration.ofHours(1), Map.of(BlobStores.AZURE_STORAGE_KEY, wrong)))
        .hasMessageContaining("403")
        .hasMessageNotContaining(wrong);
  }
}
