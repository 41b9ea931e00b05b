package dev.berth.registry.blob.internal;

import dev.berth.registry.blob.BlobReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Reads one blob file in large positional reads. Not thread-safe. */
final class FileBlobReader implements BlobReader {

  private static final int CHUNK = 1 << 20;

  private final FileChannel channel;
  private final long size;

  FileBlobReader(FileChannel channel) throws IOException {
    this.channel = channel;
    this.size = channel.size();
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public void copyTo(OutputStream out, long offset, long length) throws IOException {
    if (offset < 0 || length < 0 || offset + length > size) {
      throw new IllegalArgumentException("range outside the blob");
    }
    // Large positional reads into one heap buffer, one write per MiB: the HTTP layer wraps the
    // array without copying, where transferTo to a stream would go through 8 KiB chunks, each a
    // blocking write of its own (bench/registry measured the pull 1.5x slower that way).
    ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(CHUNK, Math.max(length, 1)));
    long done = 0;
    while (done < length) {
      buffer.clear().limit((int) Math.min(buffer.capacity(), length - done));
      int n = channel.read(buffer, offset + done);
      if (n <= 0) {
        throw new EOFException("blob shorter than expected");
      }
      out.write(buffer.array(), 0, n);
      done += n;
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
