package dev.berth.registry.blob.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;

/**
 * Writes a blob's bytes to disk while more of them arrive, so that the fsync that makes the blob
 * visible finds little left to write. The page cache would otherwise hold a whole layer dirty until
 * that fsync, and a push would wait for all of it at the end (bench/registry: about 30 ms per 64 MB
 * layer here). Every {@link #STEP} bytes it starts an fdatasync on a virtual thread, unless the
 * last one is still running. Durability still rests on the final fsync alone; this only moves the
 * disk's work earlier. Not thread-safe: one per copy.
 */
final class WriteBehind {

  static final long STEP = 16L << 20;

  private final FileChannel channel;
  private long sinceLastSync;
  private Thread syncing;

  WriteBehind(FileChannel channel) {
    this.channel = channel;
  }

  /** Counts {@code n} more bytes written to the channel. */
  void wrote(long n) {
    sinceLastSync += n;
    if (sinceLastSync >= STEP && (syncing == null || !syncing.isAlive())) {
      sinceLastSync = 0;
      syncing = Thread.ofVirtual().name("blob-write-behind").start(this::sync);
    }
  }

  private void sync() {
    try {
      channel.force(false);
    } catch (IOException e) {
      // The final fsync reports what went wrong; this one only started the work early.
    }
  }

  /** Waits for a running fdatasync, so the channel can be closed under none. */
  void finish() throws InterruptedIOException {
    if (syncing != null) {
      try {
        syncing.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while syncing a blob");
      }
    }
  }
}
