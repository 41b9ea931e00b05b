package dev.berth.runtime.image.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Ends a tar stream with zeros: the padding of its last entry and the two-record end-of-archive
 * marker, for layers whose writer never closed the archive (umoci 0.4.7's {@code insert}, see
 * opencontainers/umoci#436). Real trailers make the extra zeros unread. Not thread-safe.
 */
final class TarEndTolerance extends FilterInputStream {

  private static final int ZEROS = 512 + 1024;

  private int zerosLeft = ZEROS;
  private boolean ended;

  TarEndTolerance(InputStream in) {
    super(in);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    if (!ended) {
      int n = in.read(buffer, offset, length);
      if (n >= 0) {
        return n;
      }
      ended = true;
    }
    if (zerosLeft == 0) {
      return -1;
    }
    int n = Math.min(length, zerosLeft);
    Arrays.fill(buffer, offset, offset + n, (byte) 0);
    zerosLeft -= n;
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    byte[] sink = new byte[(int) Math.min(n, 8192)];
    long skipped = 0;
    while (skipped < n) {
      int r = read(sink, 0, (int) Math.min(sink.length, n - skipped));
      if (r < 0) {
        break;
      }
      skipped += r;
    }
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }
}
