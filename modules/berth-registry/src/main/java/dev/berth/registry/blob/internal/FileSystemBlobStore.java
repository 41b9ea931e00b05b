package dev.berth.registry.blob.internal;

import dev.berth.api.files.PrivateFiles;
import dev.berth.registry.blob.BlobInfo;
import dev.berth.registry.blob.BlobPaths;
import dev.berth.registry.blob.BlobReader;
import dev.berth.registry.blob.BlobStore;
import dev.berth.registry.blob.BlobStoreException;
import dev.berth.registry.blob.BlobStoreException.Reason;
import dev.berth.registry.blob.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * The filesystem {@link BlobStore}: files under one root laid out by {@link BlobPaths}. Bytes are
 * hashed while they stream in, synced, verified and only then renamed to their digest's name, so a
 * crash at any point leaves at most an orphan in {@code tmp/} or {@code uploads/}. A blob's mtime
 * is when it was last written or retained, which garbage collection reads as its last use.
 * Thread-safe: appends to one upload are serialized by a per-upload lock; puts of the same digest
 * race harmlessly because each renames identical bytes over the other; publishing, retaining and
 * collecting one digest are serialized by a lock striped over digests.
 */
public final class FileSystemBlobStore implements BlobStore {

  static final int BUFFER = 1 << 20;
  private static final Pattern UUID_TEXT =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private final BlobPaths paths;
  private final Duration uploadTtl;
  private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
  private final ReentrantLock[] digestLocks = new ReentrantLock[64];

  /** Running sha256 of uploads whose every byte passed through this process: no rehash. */
  private final Map<String, RunningDigest> running = new ConcurrentHashMap<>();

  private record RunningDigest(MessageDigest digest, long size) {}

  private FileSystemBlobStore(Path root, Duration uploadTtl) {
    this.paths = new BlobPaths(root);
    this.uploadTtl = uploadTtl;
    for (int i = 0; i < digestLocks.length; i++) {
      digestLocks[i] = new ReentrantLock();
    }
  }

  private ReentrantLock lock(Digest digest) {
    ReentrantLock lock = digestLocks[Math.floorMod(digest.hashCode(), digestLocks.length)];
    lock.lock();
    return lock;
  }

  public static FileSystemBlobStore open(Path root, Duration uploadTtl) throws IOException {
    FileSystemBlobStore store = new FileSystemBlobStore(root, uploadTtl);
    // Blobs are private to Berth's user, like everything in the data directory (0700/0600).
    PrivateFiles.createDirectories(store.paths.uploads());
    PrivateFiles.createDirectories(store.paths.tmp());
    PrivateFiles.createDirectories(store.paths.root().resolve("blobs"));
    return store;
  }

  public BlobPaths paths() {
    return paths;
  }

  @Override
  public BlobInfo put(Digest expected, InputStream content) throws IOException {
    Path tmp = paths.tmp().resolve("put-" + UUID.randomUUID());
    try {
      MessageDigest md = Digest.newMessageDigest(expected.algorithm());
      long size;
      try (FileChannel out =
          PrivateFiles.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        size = copy(content, out, md);
        out.force(true);
      }
      Digest actual = Digest.from(expected.algorithm(), md);
      if (!actual.equals(expected)) {
        throw BlobStoreException.of(
            Reason.DIGEST_MISMATCH, "content hashes to " + actual + ", not " + expected);
      }
      publish(tmp, expected);
      return new BlobInfo(expected, size);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Renames verified, synced bytes to their digest's name and syncs the directory entry. The file
   * is stamped as used now before it appears, so that an upload whose last chunk came long ago is
   * not collected before the manifest that needs it arrives.
   */
  private void publish(Path source, Digest digest) throws IOException {
    Path target = paths.blob(digest);
    PrivateFiles.createDirectories(target.getParent());
    ReentrantLock lock = lock(digest);
    try {
      Files.setLastModifiedTime(source, FileTime.from(Instant.now()));
      // rename(2) replaces atomically: a concurrent put of the same digest wrote the same bytes.
      Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      lock.unlock();
    }
    try (FileChannel dir = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException e) {
      // Some filesystems refuse to sync a directory; the rename itself is still atomic.
    }
  }

  private static long copy(InputStream in, FileChannel out, MessageDigest md) throws IOException {
    byte[] buffer = new byte[BUFFER];
    WriteBehind writeBehind = new WriteBehind(out);
    long total = 0;
    try {
      int n;
      while ((n = in.readNBytes(buffer, 0, buffer.length)) > 0) {
        if (md != null) {
          md.update(buffer, 0, n);
        }
        ByteBuffer bb = ByteBuffer.wrap(buffer, 0, n);
        while (bb.hasRemaining()) {
          out.write(bb);
        }
        total += n;
        writeBehind.wrote(n);
      }
    } finally {
      writeBehind.finish();
    }
    return total;
  }

  @Override
  public Optional<BlobInfo> stat(Digest digest) throws IOException {
    try {
      return Optional.of(new BlobInfo(digest, Files.size(paths.blob(digest))));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public Optional<BlobReader> open(Digest digest) throws IOException {
    try {
      return Optional.of(new FileBlobReader(FileChannel.open(paths.blob(digest))));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public boolean delete(Digest digest) throws IOException {
    ReentrantLock lock = lock(digest);
    try {
      return Files.deleteIfExists(paths.blob(digest));
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<Digest> digests() throws IOException {
    List<Digest> all = new ArrayList<>();
    Path blobs = paths.root().resolve("blobs");
    try (DirectoryStream<Path> algorithms = Files.newDirectoryStream(blobs, Files::isDirectory)) {
      for (Path algorithm : algorithms) {
        try (DirectoryStream<Path> prefixes =
            Files.newDirectoryStream(algorithm, Files::isDirectory)) {
          for (Path prefix : prefixes) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(prefix)) {
              for (Path file : files) {
                Digest.tryParse(algorithm.getFileName() + ":" + file.getFileName())
                    .ifPresent(all::add);
              }
            }
          }
        }
      }
    }
    return all;
  }

  @Override
  public boolean retain(Digest digest) throws IOException {
    ReentrantLock lock = lock(digest);
    try {
      Files.setLastModifiedTime(paths.blob(digest), FileTime.from(Instant.now()));
      return true;
    } catch (NoSuchFileException e) {
      return false;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public OptionalLong deleteIfUnusedSince(Digest digest, Instant cutoff) throws IOException {
    Path blob = paths.blob(digest);
    ReentrantLock lock = lock(digest);
    try {
      BasicFileAttributes attributes = Files.readAttributes(blob, BasicFileAttributes.class);
      if (!attributes.lastModifiedTime().toInstant().isBefore(cutoff)) {
        return OptionalLong.empty();
      }
      Files.delete(blob);
      return OptionalLong.of(attributes.size());
    } catch (NoSuchFileException e) {
      return OptionalLong.empty();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String startUpload() throws IOException {
    String id = UUID.randomUUID().toString();
    PrivateFiles.createFile(paths.upload(id));
    running.put(id, new RunningDigest(Digest.newMessageDigest("sha256"), 0));
    return id;
  }

  private Path uploadFile(String uploadId) {
    if (!UUID_TEXT.matcher(uploadId).matches()) {
      throw BlobStoreException.of(Reason.UPLOAD_UNKNOWN, "unknown upload " + uploadId);
    }
    Path file = paths.upload(uploadId);
    if (!Files.exists(file)) {
      throw BlobStoreException.of(Reason.UPLOAD_UNKNOWN, "unknown upload " + uploadId);
    }
    return file;
  }

  private ReentrantLock lock(String uploadId) {
    ReentrantLock lock = locks.computeIfAbsent(uploadId, id -> new ReentrantLock());
    lock.lock();
    return lock;
  }

  @Override
  public long append(String uploadId, long offset, InputStream content) throws IOException {
    Path file = uploadFile(uploadId);
    ReentrantLock lock = lock(uploadId);
    try {
      Path current = uploadFile(uploadId); // cancelled or committed while we waited?
      long size = Files.size(current);
      if (offset != size) {
        throw new BlobStoreException(
            Reason.OFFSET_MISMATCH,
            "upload holds " + size + " bytes, chunk starts at " + offset,
            size);
      }
      RunningDigest state = running.remove(uploadId);
      MessageDigest md = state != null && state.size() == size ? state.digest() : null;
      long written;
      try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE)) {
        out.position(size);
        written = copy(content, out, md);
      }
      if (md != null) {
        running.put(uploadId, new RunningDigest(md, size + written));
      }
      return size + written;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public long uploadSize(String uploadId) throws IOException {
    try {
      return Files.size(uploadFile(uploadId));
    } catch (NoSuchFileException e) {
      throw BlobStoreException.of(Reason.UPLOAD_UNKNOWN, "unknown upload " + uploadId);
    }
  }

  @Override
  public BlobInfo commitUpload(String uploadId, Digest expected) throws IOException {
    uploadFile(uploadId);
    ReentrantLock lock = lock(uploadId);
    try {
      Path file = uploadFile(uploadId);
      long size;
      Digest actual;
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
        channel.force(true);
        size = channel.size();
      }
      RunningDigest state = running.get(uploadId);
      if (state != null && state.size() == size && expected.algorithm().equals("sha256")) {
        MessageDigest copy;
        try {
          copy = (MessageDigest) state.digest().clone();
        } catch (CloneNotSupportedException e) {
          throw new IllegalStateException(e);
        }
        actual = Digest.from("sha256", copy);
      } else {
        actual = rehash(file, expected.algorithm());
      }
      if (!actual.equals(expected)) {
        throw BlobStoreException.of(
            Reason.DIGEST_MISMATCH, "upload hashes to " + actual + ", not " + expected);
      }
      publish(file, expected);
      running.remove(uploadId);
      return new BlobInfo(expected, size);
    } finally {
      lock.unlock();
      locks.remove(uploadId);
    }
  }

  private static Digest rehash(Path file, String algorithm) throws IOException {
    MessageDigest md = Digest.newMessageDigest(algorithm);
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[BUFFER];
      int n;
      while ((n = in.read(buffer)) > 0) {
        md.update(buffer, 0, n);
      }
    }
    return Digest.from(algorithm, md);
  }

  @Override
  public boolean cancelUpload(String uploadId) throws IOException {
    if (!UUID_TEXT.matcher(uploadId).matches()) {
      return false;
    }
    ReentrantLock lock = lock(uploadId);
    try {
      running.remove(uploadId);
      return Files.deleteIfExists(paths.upload(uploadId));
    } finally {
      lock.unlock();
      locks.remove(uploadId);
    }
  }

  @Override
  public int purgeExpiredUploads(Instant now) throws IOException {
    Instant cutoff = now.minus(uploadTtl);
    int purged = 0;
    try (DirectoryStream<Path> uploads = Files.newDirectoryStream(paths.uploads())) {
      for (Path upload : uploads) {
        try {
          if (Files.getLastModifiedTime(upload).toInstant().isBefore(cutoff)
              && cancelUpload(upload.getFileName().toString())) {
            purged++;
          }
        } catch (NoSuchFileException e) {
          // committed or cancelled meanwhile
        }
      }
    }
    // A put killed mid-stream leaves its temp file; anything that old is garbage.
    try (DirectoryStream<Path> temps = Files.newDirectoryStream(paths.tmp())) {
      for (Path tmp : temps) {
        try {
          if (Files.getLastModifiedTime(tmp).toInstant().isBefore(cutoff)) {
            Files.deleteIfExists(tmp);
          }
        } catch (NoSuchFileException e) {
          // finished meanwhile
        }
      }
    }
    return purged;
  }
}
