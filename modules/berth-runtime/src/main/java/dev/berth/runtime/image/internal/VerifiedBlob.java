package dev.berth.runtime.image.internal;

import dev.berth.runtime.image.PullException;
import dev.berth.runtime.image.PullException.Step;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * A blob's body as it streams from the registry, checked on the way: each byte is hashed once as
 * the reader takes it, more bytes than the descriptor's size stop the stream, and {@link #verify}
 * reads what the reader left (a tar reader stops at its end-of-archive marker) and compares the
 * digest. What went wrong reading is kept as the {@link PullException} the pull reports, so that a
 * cut connection or a damaged blob is not mistaken for a bad layer by whoever read the stream. Not
 * thread-safe.
 */
final class VerifiedBlob extends InputStream {

  private final RegistryTransport.Answer answer;
  private final Descriptor blob;
  private final URI uri;
  private final MessageDigest sha256 = Digests.sha256();
  private long total;
  private PullException failure;

  VerifiedBlob(RegistryTransport.Answer answer, Descriptor blob, URI uri) {
    this.answer = answer;
    this.blob = blob;
    this.uri = uri;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    if (failure != null) {
      throw new IOException(failure.getMessage(), failure);
    }
    int n;
    try {
      n = answer.body().read(buffer, offset, length);
    } catch (IOException e) {
      failure = PullErrors.unreachable(Step.BLOB, "GET", uri, e);
      throw new IOException(failure.getMessage(), failure);
    }
    if (n <= 0) {
      return n;
    }
    total += n;
    if (blob.size() >= 0 && total > blob.size()) {
      failure =
          PullErrors.invalid(
              Step.BLOB,
              "GET",
              uri.toString(),
              "blob " + blob.digest() + " is larger than its " + blob.size() + " bytes");
      throw new IOException(failure.getMessage(), failure);
    }
    sha256.update(buffer, offset, n);
    return n;
  }

  /** What went wrong reading the registry's stream, if anything, as the pull reports it. */
  Optional<PullException> failure() {
    return Optional.ofNullable(failure);
  }

  /**
   * Reads the rest of the blob and checks its digest; called once, when the reader is done.
   *
   * @throws PullException UNREACHABLE when the stream broke, INVALID when the bytes are not the
   *     blob the digest names
   */
  void verify() throws PullException {
    byte[] rest = new byte[64 * 1024];
    try {
      while (read(rest, 0, rest.length) >= 0) {
        // hashed by read
      }
    } catch (IOException e) {
      throw failure != null ? failure : PullErrors.unreachable(Step.BLOB, "GET", uri, e);
    }
    String actual = Digests.format(sha256.digest());
    if (!actual.equals(blob.digest())) {
      failure =
          PullErrors.invalid(
              Step.BLOB,
              "GET",
              uri.toString(),
              "digest mismatch: expected " + blob.digest() + ", got " + actual);
      throw failure;
    }
  }

  @Override
  public void close() {
    answer.close();
  }
}
