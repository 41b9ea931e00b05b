package dev.berth.registry.blob.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.berth.registry.blob.BlobStoreException;
import dev.berth.registry.blob.Digest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves that a process killed with SIGKILL in the middle of a put and of an upload leaves no blob
 * visible under any digest, and that the orphans it leaves are purged later.
 */
class BlobCrashIT {

  @TempDir Path dir;

  @Test
  void aKill9MidUploadLeavesNoVisibleBlob() throws Exception {
    Digest claimed = Digest.sha256("whatever".getBytes(StandardCharsets.UTF_8));
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                UploadWriter.class.getName(),
                dir.toString(),
                claimed.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String uploadId;
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      String line = assertTimeoutPreemptively(Duration.ofSeconds(30), out::readLine);
      assertThat(line).as("child output").startsWith("streaming ");
      uploadId = line.substring("streaming ".length());
      // Wait until bytes have really reached the disk for both the put and the upload.
      await().atMost(Duration.ofSeconds(20)).until(() -> sizeOf(dir.resolve("tmp")) > 0);
      await().atMost(Duration.ofSeconds(20)).until(() -> sizeOf(dir.resolve("uploads")) > 0);
    } finally {
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    try (Stream<Path> blobs = Files.walk(dir.resolve("blobs"))) {
      assertThat(blobs.filter(Files::isRegularFile)).as("visible blobs").isEmpty();
    }
    FileSystemBlobStore store = FileSystemBlobStore.open(dir, Duration.ofHours(1));
    assertThat(store.stat(claimed)).isEmpty();
    assertThat(store.uploadSize(uploadId)).isPositive();
    store.purgeExpiredUploads(Instant.now().plus(Duration.ofHours(2)));
    assertThat(sizeOf(dir.resolve("tmp"))).isZero();
    Assertions.assertThatThrownBy(() -> store.uploadSize(uploadId))
        .isInstanceOf(BlobStoreException.class);
  }

  private static long sizeOf(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      long total = 0;
      for (Path f : files.toList()) {
        total += Files.size(f);
      }
      return total;
    }
  }
}
