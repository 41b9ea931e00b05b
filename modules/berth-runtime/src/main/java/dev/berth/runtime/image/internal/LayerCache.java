package dev.berth.runtime.image.internal;

import dev.berth.api.files.PrivateFiles;
import dev.berth.runtime.image.PullException;
import dev.berth.runtime.image.PullException.Reason;
import dev.berth.runtime.image.PullException.Step;
import dev.berth.runtime.image.PullListener;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Unpacked layers by digest ({@link CachePaths}): each layer is unpacked once, as its bytes arrive
 * — decompressed, untarred and hashed in one pass, with no copy of the blob on disk — into a
 * temporary directory that is renamed into place atomically only once the digest matched, so a
 * layer directory is either complete and verified or absent. Concurrent pulls of one layer wait for
 * the one download. Thread-safe.
 */
final class LayerCache {

  /** Opens a layer blob's body from the registry. */
  interface Download {
    VerifiedBlob open() throws PullException;
  }

  private final CachePaths paths;
  private final LayerUnpacker unpacker;
  private final Map<String, CompletableFuture<Path>> inFlight = new ConcurrentHashMap<>();
  private final AtomicLong sequence = new AtomicLong();

  LayerCache(CachePaths paths, LayerUnpacker unpacker) throws IOException {
    this.paths = paths;
    this.unpacker = unpacker;
    // Left by a crash mid-pull; no pull is running yet.
    FileTrees.delete(paths.tmp());
    PrivateFiles.createDirectories(paths.tmp());
  }

  /** The unpacked directory of {@code layer}, downloading it with {@code download} if needed. */
  Path layer(Descriptor layer, Download download, PullListener listener) throws PullException {
    Path target = paths.layer(layer.digest());
    if (Files.isDirectory(target)) {
      listener.layerReady(layer.digest(), true);
      return target;
    }
    CompletableFuture<Path> mine = new CompletableFuture<>();
    CompletableFuture<Path> running = inFlight.putIfAbsent(layer.digest(), mine);
    if (running != null) {
      Path done = await(running);
      listener.layerReady(layer.digest(), false);
      return done;
    }
    try {
      boolean cached = Files.isDirectory(target);
      if (!cached) {
        listener.layerStarted(layer.digest(), layer.size());
        fetchAndUnpack(layer, download, target);
      }
      mine.complete(target);
      listener.layerReady(layer.digest(), cached);
      return target;
    } catch (PullException e) {
      mine.completeExceptionally(e);
      throw e;
    } catch (RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      inFlight.remove(layer.digest(), mine);
    }
  }

  private void fetchAndUnpack(Descriptor layer, Download download, Path target)
      throws PullException {
    Path unpacked =
        paths.tmp().resolve(Digests.hex(layer.digest()) + "-" + sequence.incrementAndGet());
    try (VerifiedBlob blob = download.open()) {
      try {
        unpacker.unpack(blob, unpacked);
      } catch (IOException e) {
        // A cut connection or bytes that are not the blob explain a broken tar better than the
        // tar's own complaint: verify (which reads the rest) reports those first.
        blob.verify();
        throw unpackFailed(layer, e);
      }
      blob.verify();
      try {
        PrivateFiles.createDirectories(target.getParent());
        Files.move(unpacked, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
        // another process put it there first: same digest, same content
      } catch (IOException e) {
        throw unpackFailed(layer, e);
      }
    } finally {
      deleteQuietly(unpacked);
    }
  }

  private static PullException unpackFailed(Descriptor layer, IOException e) {
    return new PullException(
        Reason.INVALID,
        Step.UNPACK,
        0,
        null,
        "unpack layer " + layer.digest() + ": " + e.getMessage(),
        e);
  }

  private static Path await(CompletableFuture<Path> running) throws PullException {
    try {
      return running.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PullException(
          Reason.UNREACHABLE, Step.BLOB, 0, null, "interrupted while waiting for a layer", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof PullException failed) {
        throw new PullException(
            failed.reason(),
            failed.step(),
            failed.status(),
            failed.registryCode().orElse(null),
            failed.getMessage(),
            failed);
      }
      throw new IllegalStateException("layer download failed", e.getCause());
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      FileTrees.delete(path);
    } catch (IOException e) {
      // a leftover in tmp/ is deleted when the next cache starts
    }
  }
}
