package dev.berth.registry.blob;

/**
 * A blob operation refused for a reason the caller caused (the registry API maps each reason to its
 * error code); I/O failures stay {@link java.io.IOException}s. Immutable.
 */
public final class BlobStoreException extends RuntimeException {

  /** Why the operation was refused. */
  public enum Reason {
    /** The bytes do not hash to the expected digest; nothing was stored. */
    DIGEST_MISMATCH,
    /** No upload has this id (never started, committed, cancelled or expired). */
    UPLOAD_UNKNOWN,
    /** A chunk was offered at an offset other than the upload's current size. */
    OFFSET_MISMATCH
  }

  private final Reason reason;
  private final long currentSize;

  public BlobStoreException(Reason reason, String message, long currentSize) {
    super(message, null, false, false);
    this.reason = reason;
    this.currentSize = currentSize;
  }

  public static BlobStoreException of(Reason reason, String message) {
    return new BlobStoreException(reason, message, -1);
  }

  public Reason reason() {
    return reason;
  }

  /** For {@link Reason#OFFSET_MISMATCH}: the bytes the upload holds; otherwise -1. */
  public long currentSize() {
    return currentSize;
  }
}
