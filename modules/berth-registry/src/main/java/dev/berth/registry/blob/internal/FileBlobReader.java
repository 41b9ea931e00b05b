package dev.berth.registry.blob.internal;

import dev.berth.registry.blob.BlobReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;

/**
 * Reads one blob file through {@link FileChannel#transferTo}, which lets the kernel copy when the
 * sink allows it. Not thread-safe.
 */
final class FileBlobReader implements BlobReader {

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
    WritableByteChannel sink = Channels.newChannel(out);
    long done = 0;
    while (done < length) {
      long n = channel.transferTo(offset + done, length - done, sink);
      if (n <= 0) {
        throw new EOFException("blob shorter than expected");
      }
      done += n;
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
