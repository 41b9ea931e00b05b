package dev.berth.registry.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link BlobStore} driver must have; a driver's test extends this in one line
 * and supplies a fresh store with a one-hour upload TTL.
 */
public abstract class BlobStoreConformance {

  /** A new empty store whose uploads expire after one idle hour. */
  protected abstract BlobStore newStore() throws Exception;

  protected static byte[] bytes(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static byte[] read(BlobStore store, Digest d, long offset, long length) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (BlobReader reader = store.open(d).orElseThrow()) {
      reader.copyTo(Channels.newChannel(out), offset, length);
    }
    return out.toByteArray();
  }

  @Test
  void aPutBlobReadsBackWholeWithItsSize() throws Exception {
    BlobStore store = newStore();
    byte[] content = bytes(3 * 1024 * 1024 + 17, 1);
    Digest d = Digest.sha256(content);
    assertThat(store.put(d, new ByteArrayInputStream(content)))
        .isEqualTo(new BlobInfo(d, content.length));
    assertThat(store.stat(d)).contains(new BlobInfo(d, content.length));
    assertThat(read(store, d, 0, content.length)).isEqualTo(content);
  }

  @Test
  void sha512DigestsAreAccepted() throws Exception {
    BlobStore store = newStore();
    byte[] content = bytes(1000, 2);
    Digest d = Digest.of("sha512", content);
    store.put(d, new ByteArrayInputStream(content));
    assertThat(read(store, d, 0, 1000)).isEqualTo(content);
  }

  @Test
  void aDigestMismatchStoresNothingUnderEitherDigest() throws Exception {
    BlobStore store = newStore();
    byte[] content = bytes(5000, 3);
    Digest claimed = Digest.sha256(bytes(10, 4));
    assertThatThrownBy(() -> store.put(claimed, new ByteArrayInputStream(content)))
        .isInstanceOfSatisfying(
            BlobStoreException.class,
            e -> assertThat(e.reason()).isEqualTo(BlobStoreException.Reason.DIGEST_MISMATCH));
    assertThat(store.stat(claimed)).isEmpty();
    assertThat(store.stat(Digest.sha256(content))).isEmpty();
  }

  @Test
  void anyByteRangeReadsBack() throws Exception {
    BlobStore store = newStore();
    byte[] content = bytes(10_000, 5);
    Digest d = Digest.sha256(content);
    store.put(d, new ByteArrayInputStream(content));
    assertThat(read(store, d, 100, 50)).isEqualTo(Arrays.copyOfRange(content, 100, 150));
    assertThat(read(store, d, 9_999, 1)).containsExactly(content[9_999]);
  }

  @Test
  void chunkedAppendsAtTheRightOffsetsCommitUnderTheDigest() throws Exception {
    BlobStore store = newStore();
    byte[] content = bytes(2_500_000, 6);
    Digest d = Digest.sha256(content);
    String id = store.startUpload();
    assertThat(store.uploadSize(id)).isZero();
    assertThat(store.append(id, 0, new ByteArrayInputStream(content, 0, 1_000_000)))
        .isEqualTo(1_000_000);
    assertThatThrownBy(() -> store.append(id, 5, new ByteArrayInputStream(content)))
        .isInstanceOfSatisfying(
            BlobStoreException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(BlobStoreException.Reason.OFFSET_MISMATCH);
              assertThat(e.currentSize()).isEqualTo(1_000_000);
            });
    store.append(id, 1_000_000, new ByteArrayInputStream(content, 1_000_000, 1_500_000));
    assertThat(store.uploadSize(id)).isEqualTo(content.length);
    assertThat(store.stat(d)).isEmpty();
    store.commitUpload(id, d);
    assertThat(read(store, d, 0, content.length)).isEqualTo(content);
    assertThatThrownBy(() -> store.uploadSize(id)).isInstanceOf(BlobStoreException.class);
  }

  @Test
  void aCommitWithTheWrongDigestLeavesTheUploadAndNoBlob() throws Exception {
    BlobStore store = newStore();
    byte[] content = bytes(1000, 7);
    String id = store.startUpload();
    store.append(id, 0, new ByteArrayInputStream(content));
    Digest wrong = Digest.sha256(bytes(1, 8));
    assertThatThrownBy(() -> store.commitUpload(id, wrong))
        .isInstanceOfSatisfying(
            BlobStoreException.class,
            e -> assertThat(e.reason()).isEqualTo(BlobStoreException.Reason.DIGEST_MISMATCH));
    assertThat(store.stat(wrong)).isEmpty();
    assertThat(store.uploadSize(id)).isEqualTo(1000);
  }

  @Test
  void aCancelledUploadIsUnknown() throws Exception {
    BlobStore store = newStore();
    String id = store.startUpload();
    assertThat(store.cancelUpload(id)).isTrue();
    assertThatThrownBy(() -> store.append(id, 0, new ByteArrayInputStream(new byte[1])))
        .isInstanceOfSatisfying(
            BlobStoreException.class,
            e -> assertThat(e.reason()).isEqualTo(BlobStoreException.Reason.UPLOAD_UNKNOWN));
    assertThat(store.cancelUpload(id)).isFalse();
    assertThat(store.cancelUpload("../../etc")).isFalse();
  }

  @Test
  void uploadsIdleLongerThanTheTtlArePurgedAndFreshOnesKept() throws Exception {
    BlobStore store = newStore();
    String id = store.startUpload();
    assertThat(store.purgeExpiredUploads(Instant.now())).isZero();
    assertThat(store.uploadSize(id)).isZero();
    assertThat(store.purgeExpiredUploads(Instant.now().plusSeconds(2 * 3600))).isEqualTo(1);
    assertThatThrownBy(() -> store.uploadSize(id)).isInstanceOf(BlobStoreException.class);
  }

  @Test
  void concurrentPutsOfTheSameDigestAllSucceedWithOneIntactBlob() throws Exception {
    BlobStore store = newStore();
    byte[] content = bytes(2_000_000, 9);
    Digest d = Digest.sha256(content);
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<BlobInfo>> puts = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        puts.add(pool.submit(() -> store.put(d, new ByteArrayInputStream(content))));
      }
      for (Future<BlobInfo> put : puts) {
        assertThat(put.get().size()).isEqualTo(content.length);
      }
    }
    assertThat(read(store, d, 0, content.length)).isEqualTo(content);
  }

  @Test
  void aDeletedBlobIsGone() throws Exception {
    BlobStore store = newStore();
    byte[] content = bytes(10, 10);
    Digest d = Digest.sha256(content);
    store.put(d, new ByteArrayInputStream(content));
    assertThat(store.delete(d)).isTrue();
    assertThat(store.stat(d)).isEmpty();
    assertThat(store.open(d)).isEmpty();
    assertThat(store.delete(d)).isFalse();
  }

  @Test
  void digestsListEveryStoredBlobAndNothingElse() throws Exception {
    BlobStore store = newStore();
    byte[] a = bytes(10, 11);
    byte[] b = bytes(20, 12);
    store.put(Digest.sha256(a), new ByteArrayInputStream(a));
    store.put(Digest.of("sha512", b), new ByteArrayInputStream(b));
    String upload = store.startUpload();
    store.append(upload, 0, new ByteArrayInputStream(bytes(5, 13)));
    assertThat(store.digests()).containsExactlyInAnyOrder(Digest.sha256(a), Digest.of("sha512", b));
  }

  @Test
  void aBlobRetainedAfterTheCutoffIsKeptAndOneUnusedSinceIsDeleted() throws Exception {
    BlobStore store = newStore();
    byte[] content = bytes(1000, 14);
    Digest d = Digest.sha256(content);
    store.put(d, new ByteArrayInputStream(content));
    Thread.sleep(20);
    Instant cutoff = Instant.now();
    Thread.sleep(20);
    assertThat(store.retain(d)).isTrue();
    assertThat(store.deleteIfUnusedSince(d, cutoff)).isEmpty();
    assertThat(store.stat(d)).isPresent();
    Thread.sleep(20);
    assertThat(store.deleteIfUnusedSince(d, Instant.now())).hasValue(1000);
    assertThat(store.stat(d)).isEmpty();
    assertThat(store.retain(d)).isFalse();
    assertThat(store.deleteIfUnusedSince(d, Instant.now())).isEmpty();
  }

  @Test
  void aBlobPutAgainWhileACollectionJudgesItIsKept() throws Exception {
    BlobStore store = newStore();
    byte[] content = bytes(1000, 16);
    Digest d = Digest.sha256(content);
    store.put(d, new ByteArrayInputStream(content));
    Thread.sleep(20);
    Instant cutoff = Instant.now();
    Thread.sleep(20);
    // The collection runs while the second put reads its bytes: unused since the cutoff by the
    // first write alone, but the second put is a use that began before the collection judged.
    InputStream collectedMidway =
        new FilterInputStream(new ByteArrayInputStream(content)) {
          private boolean collected;

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            if (!collected) {
              collected = true;
              store.deleteIfUnusedSince(d, cutoff);
            }
            return super.read(b, off, len);
          }
        };
    store.put(d, collectedMidway);
    assertThat(store.stat(d)).isPresent();
    assertThat(read(store, d, 0, content.length)).isEqualTo(content);
  }

  @Test
  void aCommittedUploadIsInUseFromItsCommitNotFromItsLastChunk() throws Exception {
    BlobStore store = newStore();
    byte[] content = bytes(5000, 15);
    Digest d = Digest.sha256(content);
    String id = store.startUpload();
    store.append(id, 0, new ByteArrayInputStream(content));
    Thread.sleep(20);
    Instant cutoff = Instant.now();
    Thread.sleep(20);
    store.commitUpload(id, d);
    assertThat(store.deleteIfUnusedSince(d, cutoff)).isEmpty();
    assertThat(read(store, d, 0, content.length)).isEqualTo(content);
  }
}
