package dev.berth.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body whose read failures are the client's: Jetty fails a read when the body ends before
 * its {@code Content-Length}, when its chunked encoding is broken, or when the peer goes away or
 * stalls past the idle timeout. Each becomes a {@link MalformedRequestException}, so that an API
 * answers 400 in its own envelope instead of a 500 with a stack trace. Not thread-safe, like any
 * stream.
 */
final class ClientBody extends FilterInputStream {

  ClientBody(InputStream in) {
    super(in);
  }

  @Override
  public int read() throws IOException {
    try {
      return super.read();
    } catch (IOException | RuntimeException e) {
      throw unreadable(e);
    }
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    try {
      return super.read(b, off, len);
    } catch (IOException | RuntimeException e) {
      throw unreadable(e);
    }
  }

  @Override
  public long skip(long n) throws IOException {
    try {
      return super.skip(n);
    } catch (IOException | RuntimeException e) {
      throw unreadable(e);
    }
  }

  private static RuntimeException unreadable(Exception e) {
    if (e instanceof MalformedRequestException m) {
      return m;
    }
    String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new MalformedRequestException(
        MalformedRequestException.Part.BODY, "the request body could not be read: " + why);
  }
}
