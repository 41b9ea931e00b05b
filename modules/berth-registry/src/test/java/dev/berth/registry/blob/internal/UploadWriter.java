package dev.berth.registry.blob.internal;

import dev.berth.registry.blob.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.awaitility.Awaitility;

/**
 * The child process of {@link BlobCrashIT}: starts a put and an upload of a large blob whose bytes
 * trickle in forever, printing {@code streaming} once both have begun, until it is killed. It stops
 * by itself after a minute so that a test that dies first cannot leave it running.
 */
public final class UploadWriter {

  private UploadWriter() {}

  /** Bytes that never end until the deadline; the claimed digest can never match them. */
  static InputStream endless(long deadline) {
    return new InputStream() {
      @Override
      public int read() {
        return System.nanoTime() < deadline ? 7 : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (System.nanoTime() > deadline) {
          return -1;
        }
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          throw new InterruptedIOException();
        }
        Arrays.fill(b, off, off + len, (byte) 7);
        return len;
      }
    };
  }

  public static void main(String[] args) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    FileSystemBlobStore store = FileSystemBlobStore.open(Path.of(args[0]), Duration.ofHours(1));
    Digest claimed = Digest.parse(args[1]);
    Thread put =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    store.put(claimed, endless(deadline));
                  } catch (Exception e) {
                    System.out.println("put ended: " + e);
                  }
                });
    String id = store.startUpload();
    Thread upload =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    store.append(id, 0, endless(deadline));
                  } catch (Exception e) {
                    System.out.println("append ended: " + e);
                  }
                });
    // Announce only once bytes reach the disk, so the kill lands mid-stream.
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> store.uploadSize(id) > 0);
    System.out.println("streaming " + id);
    System.out.flush();
    put.join();
    upload.join();
  }
}
