package dev.berth.registry.blob;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.WritableByteChannel;

/**
 * An opened blob: its size fixed at open time and a way to copy any byte range of it. Not
 * thread-safe; close it when done.
 */
public interface BlobReader extends Closeable {

  long size();

  /**
   * Copies {@code length} bytes starting at {@code offset} to {@code out}, in large writes that
   * each complete before the next begins.
   */
  void copyTo(WritableByteChannel out, long offset, long length) throws IOException;
}
