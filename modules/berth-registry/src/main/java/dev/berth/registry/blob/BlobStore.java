package dev.berth.registry.blob;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Content-addressed blob storage with resumable uploads: a blob becomes visible under its digest
 * only once all its bytes are written, synced and verified. Drivers are chosen by the scheme of a
 * location through {@link BlobStores#open}; the one driver is the filesystem ({@code file:}).
 * Implementations are thread-safe.
 */
public interface BlobStore {

  /**
   * Streams {@code content} into the store, hashing it on the way.
   *
   * @throws BlobStoreException {@code DIGEST_MISMATCH} when the bytes do not hash to {@code
   *     expected}; nothing is left behind
   */
  BlobInfo put(Digest expected, InputStream content) throws IOException;

  Optional<BlobInfo> stat(Digest digest) throws IOException;

  /** Opens a blob for reading, or empty when it is not stored. */
  Optional<BlobReader> open(Digest digest) throws IOException;

  /** Removes a blob; false when it was not there. */
  boolean delete(Digest digest) throws IOException;

  /** Every stored blob, in no particular order: what a garbage collection sweeps. */
  List<Digest> digests() throws IOException;

  /**
   * Marks a blob as in use now, as writing it does: a garbage collection spares it for its grace
   * period. Atomic with respect to {@link #deleteIfUnusedSince}: once this returns true, a
   * collection that began before it cannot delete the blob.
   *
   * @return false when the blob is not stored
   */
  boolean retain(Digest digest) throws IOException;

  /**
   * Deletes a blob unless it was written or {@linkplain #retain retained} at or after {@code
   * cutoff}; the check and the deletion are one step against writes and retains of that digest.
   *
   * @return the bytes freed, or empty when the blob was kept or absent
   */
  OptionalLong deleteIfUnusedSince(Digest digest, Instant cutoff) throws IOException;

  /** Starts an upload; the id names it in the calls below. */
  String startUpload() throws IOException;

  /**
   * Appends a chunk that must start at the upload's current size.
   *
   * @return the upload's size after the chunk
   * @throws BlobStoreException {@code OFFSET_MISMATCH} or {@code UPLOAD_UNKNOWN}
   */
  long append(String uploadId, long offset, InputStream content) throws IOException;

  /**
   * The bytes received so far.
   *
   * @throws BlobStoreException {@code UPLOAD_UNKNOWN}
   */
  long uploadSize(String uploadId) throws IOException;

  /**
   * Verifies the upload's bytes against {@code expected} and makes them the blob of that digest. On
   * a mismatch the upload stays as it was, so the client may cancel or fix it.
   *
   * @throws BlobStoreException {@code DIGEST_MISMATCH} or {@code UPLOAD_UNKNOWN}
   */
  BlobInfo commitUpload(String uploadId, Digest expected) throws IOException;

  /** Discards an upload; false when it was unknown. */
  boolean cancelUpload(String uploadId) throws IOException;

  /** Discards uploads idle for longer than the store's TTL; the number discarded. */
  int purgeExpiredUploads(Instant now) throws IOException;
}
