package dev.berth.registry.blob.internal;

import com.azure.core.util.Context;
import com.azure.core.util.polling.PollResponse;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.blob.BlobUrlParts;
import com.azure.storage.blob.models.BlobCopyInfo;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.BlockListType;
import com.azure.storage.blob.models.CopyStatusType;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.options.BlobBeginCopyOptions;
import com.azure.storage.blob.options.BlobInputStreamOptions;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.sas.BlobSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import com.azure.storage.blob.specialized.BlockBlobClient;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import dev.berth.registry.blob.BlobInfo;
import dev.berth.registry.blob.BlobReader;
import dev.berth.registry.blob.BlobStore;
import dev.berth.registry.blob.BlobStoreException;
import dev.berth.registry.blob.BlobStoreException.Reason;
import dev.berth.registry.blob.BlobStoreUnavailableException;
import dev.berth.registry.blob.Digest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Blobs in an Azure Blob Storage container (or Azurite), for Berths that share their registry
 * contents. Each blob is a block blob {@code blobs/<algorithm>/<hex>}; each upload a block blob
 * {@code uploads/<id>} that grows by committed blocks.
 *
 * <p>A blob appears whole or not at all: its blocks are staged while the bytes are hashed, and the
 * block list is committed only when they match the digest (staged blocks that are never committed
 * the service discards by itself). When and whether a blob was last used is its metadata ({@code
 * berthused}, Berth's clock), and a collection's delete is conditional on the etag it judged, so a
 * {@link #retain} in between (which rewrites the metadata, hence the etag) keeps the blob. An
 * append is conditional on the upload's etag too: of two appends at one offset, one wins and the
 * other is told the new size. Thread-safe: the SDK's clients are.
 */
public final class AzureBlobStore implements BlobStore {

  /** How much of a blob one staged block carries. */
  private static final int BLOCK_BYTES = 8 * 1024 * 1024;

  private static final String BLOBS = "blobs/";
  private static final String UPLOADS = "uploads/";
  private static final String USED = "berthused";
  private static final String TOUCHED = "berthtouched";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** How long a commit waits for the service to copy an upload to its digest's name. */
  private static final Duration COPY_DEADLINE = Duration.ofMinutes(2);

  private final BlobContainerClient container;
  private final Duration uploadTtl;

  /** The algorithm of the hash kept while an upload's chunks arrive: the registry's digests'. */
  private static final String RUNNING = "sha256";

  /** The hash of each upload's bytes so far, while this process received them all. */
  private final Map<String, RunningHash> hashes = new ConcurrentHashMap<>();

  private record RunningHash(MessageDigest hash, long size) {}

  private AzureBlobStore(BlobContainerClient container, Duration uploadTtl) {
    this.container = container;
    this.uploadTtl = uploadTtl;
  }

  /**
   * Opens the container at {@code containerUrl} ({@code https://<account>.blob.core.windows.net/
   * <container>}, or Azurite's {@code http://127.0.0.1:10000/<account>/<container>}) with the
   * account's shared key, and creates the container if it does not exist.
   */
  public static AzureBlobStore open(String containerUrl, String accountKey, Duration uploadTtl)
      throws IOException {
    BlobUrlParts parts = validate(containerUrl);
    BlobContainerClient container =
        new BlobContainerClientBuilder()
            .endpoint(containerUrl)
            .credential(new StorageSharedKeyCredential(parts.getAccountName(), accountKey))
            // A bounded wait: the SDK's default per-try timeout is unlimited.
            .retryOptions(
                new RequestRetryOptions(
                    RetryPolicyType.EXPONENTIAL,
                    3,
                    Duration.ofSeconds(60),
                    Duration.ofMillis(500),
                    Duration.ofSeconds(4),
                    null))
            .buildClient();
    AzureBlobStore store = new AzureBlobStore(container, uploadTtl);
    store.call(container::createIfNotExists);
    return store;
  }

  /**
   * Checks that {@code containerUrl} names an account and a container whose name the service takes:
   * 3–63 lower-case letters, digits and single hyphens, starting with a letter or digit.
   *
   * @throws IllegalArgumentException saying which
   */
  public static BlobUrlParts validate(String containerUrl) {
    BlobUrlParts parts;
    try {
      parts = BlobUrlParts.parse(containerUrl);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a blob container's URL: " + containerUrl);
    }
    String name = parts.getBlobContainerName();
    if (parts.getAccountName() == null
        || name == null
        || name.isEmpty()
        || parts.getBlobName() != null) {
      throw new IllegalArgumentException(
          "not the URL of a blob container (https://<account>.blob.core.windows.net/<container>): "
              + containerUrl);
    }
    if (!name.matches("[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]")) {
      throw new IllegalArgumentException(
          "'"
              + name
              + "' is not a blob container name: 3 to 63 lower-case letters, digits and single"
              + " hyphens, starting and ending with a letter or digit");
    }
    return parts;
  }

  @Override
  public BlobInfo put(Digest expected, InputStream content) throws IOException {
    BlockBlobClient blob = blobOf(expected);
    // Already there: retained first, so that no collection deletes it while the bytes are read
    // and checked; nothing is written twice.
    boolean stored = retain(expected);
    MessageDigest hash = Digest.newMessageDigest(expected.algorithm());
    long size;
    if (stored) {
      size = hash(content, hash);
      check(expected, hash);
    } else {
      Staged staged = stage(blob, hash, content);
      check(expected, hash);
      commit(blob, staged.blockIds(), USED);
      size = staged.size();
    }
    return new BlobInfo(expected, size);
  }

  @Override
  public Optional<BlobInfo> stat(Digest digest) throws IOException {
    return properties(blobOf(digest))
        .filter(AzureBlobStore::isWhole)
        .map(p -> new BlobInfo(digest, p.getBlobSize()));
  }

  @Override
  public Optional<BlobReader> open(Digest digest) throws IOException {
    BlockBlobClient blob = blobOf(digest);
    Optional<BlobProperties> found = properties(blob).filter(AzureBlobStore::isWhole);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    long size = found.get().getBlobSize();
    String etag = found.get().getETag();
    return Optional.of(
        new BlobReader() {
          @Override
          public long size() {
            return size;
          }

          @Override
          public void copyTo(WritableByteChannel out, long offset, long length) throws IOException {
            if (length == 0) {
              return;
            }
            BlobInputStreamOptions options =
                new BlobInputStreamOptions()
                    .setRange(new BlobRange(offset, length))
                    .setRequestConditions(new BlobRequestConditions().setIfMatch(etag))
                    .setBlockSize(BLOCK_BYTES);
            try (InputStream in = call(() -> blob.openInputStream(options, Context.NONE))) {
              byte[] buffer = new byte[256 * 1024];
              int n;
              while ((n = in.read(buffer)) > 0) {
                ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
                while (chunk.hasRemaining()) {
                  out.write(chunk);
                }
              }
            } catch (RuntimeException e) {
              throw failure("read " + digest, e);
            }
          }

          @Override
          public void close() {}
        });
  }

  @Override
  public boolean delete(Digest digest) throws IOException {
    return call(() -> blobOf(digest).deleteIfExists());
  }

  @Override
  public List<Digest> digests() throws IOException {
    List<Digest> digests = new ArrayList<>();
    for (BlobItem item : list(BLOBS, false)) {
      String[] parts = item.getName().substring(BLOBS.length()).split("/", 2);
      if (parts.length == 2) {
        Digest.tryParse(parts[0] + ":" + parts[1]).ifPresent(digests::add);
      }
    }
    return digests;
  }

  @Override
  public boolean retain(Digest digest) throws IOException {
    try {
      call(
          () ->
              blobOf(digest)
                  .setMetadataWithResponse(Map.of(USED, now()), null, null, Context.NONE));
      return true;
    } catch (NotFound e) {
      return false;
    }
  }

  @Override
  public OptionalLong deleteIfUnusedSince(Digest digest, Instant cutoff) throws IOException {
    BlockBlobClient blob = blobOf(digest);
    Optional<BlobProperties> found = properties(blob);
    if (found.isEmpty() || !usedAt(found.get()).isBefore(cutoff)) {
      return OptionalLong.empty();
    }
    try {
      call(
          () ->
              blob.deleteWithResponse(
                  null,
                  new BlobRequestConditions().setIfMatch(found.get().getETag()),
                  null,
                  Context.NONE));
      return OptionalLong.of(found.get().getBlobSize());
    } catch (NotFound | Changed e) {
      return OptionalLong.empty(); // gone already, or retained since it was judged
    }
  }

  @Override
  public String startUpload() throws IOException {
    String id = UUID.randomUUID().toString();
    commit(uploadOf(id), List.of(), TOUCHED);
    return id;
  }

  @Override
  public long append(String uploadId, long offset, InputStream content) throws IOException {
    BlockBlobClient upload = uploadOf(uploadId);
    BlobProperties now = uploadProperties(uploadId);
    if (offset != now.getBlobSize()) {
      throw offsetMismatch(offset, now.getBlobSize());
    }
    List<String> blocks = new ArrayList<>();
    call(() -> upload.listBlocks(BlockListType.COMMITTED))
        .getCommittedBlocks()
        .forEach(b -> blocks.add(b.getName()));
    MessageDigest running = runningHash(uploadId, offset);
    Staged staged = stage(upload, running, content);
    blocks.addAll(staged.blockIds());
    try {
      call(
          () ->
              upload.commitBlockListWithResponse(
                  new BlockBlobCommitBlockListOptions(blocks)
                      .setMetadata(Map.of(TOUCHED, now()))
                      .setRequestConditions(new BlobRequestConditions().setIfMatch(now.getETag())),
                  null,
                  Context.NONE));
    } catch (Changed e) {
      // Another append at this offset won; its size is the one to go on from.
      throw offsetMismatch(offset, uploadSize(uploadId));
    } catch (NotFound e) {
      throw uploadUnknown(uploadId);
    }
    long size = now.getBlobSize() + staged.size();
    if (running != null) {
      hashes.put(uploadId, new RunningHash(running, size));
    }
    return size;
  }

  @Override
  public long uploadSize(String uploadId) throws IOException {
    return uploadProperties(uploadId).getBlobSize();
  }

  @Override
  public BlobInfo commitUpload(String uploadId, Digest expected) throws IOException {
    BlockBlobClient upload = uploadOf(uploadId);
    BlobProperties properties = uploadProperties(uploadId);
    check(expected, hashOf(uploadId, upload, properties, expected.algorithm()));
    // Retained if it is there (a collection that judged it before cannot delete it now), else
    // copied there.
    if (!retain(expected)) {
      copy(upload, blobOf(expected));
    }
    cancelUpload(uploadId);
    return new BlobInfo(expected, properties.getBlobSize());
  }

  /**
   * The hash of an upload's bytes: kept while this process received them, else (another process
   * took the chunks, or Berth restarted) read back from the service.
   */
  private MessageDigest hashOf(
      String uploadId, BlockBlobClient upload, BlobProperties properties, String algorithm)
      throws IOException {
    RunningHash kept = hashes.get(uploadId);
    if (kept != null && kept.size() == properties.getBlobSize() && algorithm.equals(RUNNING)) {
      MessageDigest copy = copyOf(kept.hash());
      if (copy != null) {
        return copy;
      }
    }
    MessageDigest hash = Digest.newMessageDigest(algorithm);
    BlobInputStreamOptions options =
        new BlobInputStreamOptions()
            .setRequestConditions(new BlobRequestConditions().setIfMatch(properties.getETag()))
            .setBlockSize(BLOCK_BYTES);
    try (InputStream in = call(() -> upload.openInputStream(options, Context.NONE))) {
      hash(in, hash);
    } catch (NotFound | Changed e) {
      throw uploadUnknown(uploadId);
    }
    return hash;
  }

  /**
   * Makes {@code target} a copy of the upload's bytes inside the service (Copy Blob, from a
   * read-only SAS of a few minutes; within one account it moves no bytes through Berth) and waits
   * for it. A copy still pending does not count as the blob ({@link #isWhole}), so the blob still
   * appears whole or not at all.
   */
  private void copy(BlockBlobClient upload, BlockBlobClient target) throws IOException {
    String source =
        upload.getBlobUrl()
            + "?"
            + upload.generateSas(
                new BlobServiceSasSignatureValues(
                    OffsetDateTime.now().plusMinutes(15),
                    new BlobSasPermission().setReadPermission(true)));
    PollResponse<BlobCopyInfo> done =
        call(
            () ->
                target
                    .beginCopy(
                        new BlobBeginCopyOptions(source)
                            .setMetadata(Map.of(USED, now()))
                            .setPollInterval(Duration.ofMillis(50)))
                    .waitForCompletion(COPY_DEADLINE));
    CopyStatusType status = done.getValue() == null ? null : done.getValue().getCopyStatus();
    if (status != CopyStatusType.SUCCESS) {
      throw new BlobStoreUnavailableException(
          "Azure Blob Storage "
              + container.getBlobContainerUrl()
              + ": the copy of an upload to "
              + target.getBlobName()
              + " ended "
              + status
              + " (or not within "
              + COPY_DEADLINE.toSeconds()
              + " s)",
          null);
    }
  }

  /** A blob that is the destination of a copy still under way (or failed) is not there yet. */
  private static boolean isWhole(BlobProperties properties) {
    return properties.getCopyStatus() == null
        || properties.getCopyStatus() == CopyStatusType.SUCCESS;
  }

  /**
   * The hash to feed an append at {@code offset}: a copy of the one kept for the upload when it
   * covers exactly the bytes before it, a new one for the first chunk, else none.
   */
  private MessageDigest runningHash(String uploadId, long offset) {
    RunningHash kept = hashes.get(uploadId);
    if (kept != null && kept.size() == offset) {
      return copyOf(kept.hash());
    }
    return offset == 0 ? Digest.newMessageDigest(RUNNING) : null;
  }

  private static MessageDigest copyOf(MessageDigest hash) {
    try {
      return (MessageDigest) hash.clone();
    } catch (CloneNotSupportedException e) {
      return null; // the commit reads the bytes back instead
    }
  }

  @Override
  public boolean cancelUpload(String uploadId) throws IOException {
    hashes.remove(uploadId);
    return isUploadId(uploadId) && call(() -> uploadOf(uploadId).deleteIfExists());
  }

  @Override
  public int purgeExpiredUploads(Instant now) throws IOException {
    int purged = 0;
    for (BlobItem item : list(UPLOADS, true)) {
      Map<String, String> metadata = item.getMetadata();
      Instant touched =
          metadata != null && metadata.containsKey(TOUCHED)
              ? Instant.parse(metadata.get(TOUCHED))
              : item.getProperties().getLastModified().toInstant();
      if (touched.plus(uploadTtl).isBefore(now)
          && call(() -> container.getBlobClient(item.getName()).deleteIfExists())) {
        hashes.remove(item.getName().substring(UPLOADS.length()));
        purged++;
      }
    }
    return purged;
  }

  // ---- the parts ----

  /** What {@link #stage} wrote: the new blocks, in order, and the bytes read. */
  private record Staged(List<String> blockIds, long size) {}

  /**
   * Reads {@code content} to its end in blocks, staging each on {@code target} and feeding {@code
   * hash} (none: not hashed).
   */
  private Staged stage(BlockBlobClient target, MessageDigest hash, InputStream content)
      throws IOException {
    List<String> ids = new ArrayList<>();
    byte[] block = new byte[BLOCK_BYTES];
    long size = 0;
    int n;
    while ((n = content.readNBytes(block, 0, block.length)) > 0) {
      if (hash != null) {
        hash.update(block, 0, n);
      }
      String id = blockId();
      ByteArrayInputStream bytes = new ByteArrayInputStream(block, 0, n);
      int length = n;
      call(
          () -> {
            target.stageBlock(id, bytes, length);
            return null;
          });
      ids.add(id);
      size += n;
    }
    return new Staged(ids, size);
  }

  /** Feeds all of {@code content} to {@code hash}, writing it nowhere; the bytes read. */
  private static long hash(InputStream content, MessageDigest hash) throws IOException {
    return content.transferTo(new DigestOutputStream(OutputStream.nullOutputStream(), hash));
  }

  private static void check(Digest expected, MessageDigest hash) {
    Digest actual = Digest.from(expected.algorithm(), hash);
    if (!actual.equals(expected)) {
      throw BlobStoreException.of(
          Reason.DIGEST_MISMATCH, "content hashes to " + actual + ", not " + expected);
    }
  }

  /** Commits {@code blockIds} as the whole blob, stamped now under {@code stamp}. */
  private void commit(BlockBlobClient blob, List<String> blockIds, String stamp)
      throws IOException {
    try {
      call(
          () ->
              blob.commitBlockListWithResponse(
                  new BlockBlobCommitBlockListOptions(blockIds).setMetadata(Map.of(stamp, now())),
                  null,
                  Context.NONE));
    } catch (InvalidBlockList e) {
      // A concurrent put of the same digest committed first, which drops every block it did not
      // name, ours too: the blob is there, whole, with the same bytes.
      if (!call(blob::exists)) {
        throw e.asIo();
      }
    }
  }

  private BlobProperties uploadProperties(String uploadId) throws IOException {
    return properties(uploadOf(uploadId)).orElseThrow(() -> uploadUnknown(uploadId));
  }

  private Optional<BlobProperties> properties(BlockBlobClient blob) throws IOException {
    try {
      return Optional.of(call(blob::getProperties));
    } catch (NotFound e) {
      return Optional.empty();
    }
  }

  private List<BlobItem> list(String prefix, boolean metadata) throws IOException {
    ListBlobsOptions options =
        new ListBlobsOptions()
            .setPrefix(prefix)
            .setDetails(new BlobListDetails().setRetrieveMetadata(metadata));
    return call(() -> container.listBlobs(options, null).stream().toList());
  }

  private BlockBlobClient blobOf(Digest digest) {
    return container
        .getBlobClient(BLOBS + digest.algorithm() + "/" + digest.hex())
        .getBlockBlobClient();
  }

  private BlockBlobClient uploadOf(String uploadId) {
    // An id is ours (a UUID); anything else names no upload, rather than another path.
    if (!isUploadId(uploadId)) {
      throw uploadUnknown(uploadId);
    }
    return container.getBlobClient(UPLOADS + uploadId).getBlockBlobClient();
  }

  private static boolean isUploadId(String uploadId) {
    try {
      return UUID.fromString(uploadId).toString().equals(uploadId);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static Instant usedAt(BlobProperties properties) {
    Map<String, String> metadata = properties.getMetadata();
    return metadata != null && metadata.containsKey(USED)
        ? Instant.parse(metadata.get(USED))
        : properties.getLastModified().toInstant();
  }

  private static String now() {
    return Instant.now().toString();
  }

  /** A block id: random, and of one length for every block of a blob, as the service requires. */
  private static String blockId() {
    byte[] id = new byte[18];
    RANDOM.nextBytes(id);
    return Base64.getEncoder().encodeToString(id);
  }

  private static BlobStoreException uploadUnknown(String uploadId) {
    return BlobStoreException.of(Reason.UPLOAD_UNKNOWN, "no upload " + uploadId);
  }

  private static BlobStoreException offsetMismatch(long offset, long size) {
    return new BlobStoreException(
        Reason.OFFSET_MISMATCH,
        "the chunk starts at " + offset + ", the upload holds " + size,
        size);
  }

  /**
   * Runs one call to the service. What callers decide on comes out as {@link NotFound}, {@link
   * Changed} or {@link InvalidBlockList}; any other failure as an {@link IOException} that names
   * the service's error code, never its request (which carries the signature).
   */
  private <T> T call(Supplier<T> request) throws IOException {
    try {
      return request.get();
    } catch (BlobStorageException e) {
      if (e.getStatusCode() == 404) {
        throw new NotFound();
      }
      if (e.getStatusCode() == 412) {
        throw new Changed();
      }
      if (BlobErrorCode.INVALID_BLOCK_LIST.equals(e.getErrorCode())) {
        throw new InvalidBlockList(e);
      }
      throw failure("call", e);
    } catch (RuntimeException e) {
      if (e instanceof BlobStoreException || e instanceof ServiceAnswer) {
        throw e;
      }
      throw failure("call", e);
    }
  }

  private IOException failure(String what, RuntimeException e) {
    String detail;
    if (e instanceof BlobStorageException s) {
      detail = s.getStatusCode() + " " + s.getErrorCode();
    } else {
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      detail = root.getClass().getSimpleName() + ": " + root.getMessage();
    }
    return new BlobStoreUnavailableException(
        "Azure Blob Storage "
            + container.getBlobContainerUrl()
            + ": "
            + what
            + " failed: "
            + detail,
        e);
  }

  /** An answer of the service that callers act on. */
  private abstract static class ServiceAnswer extends RuntimeException {
    ServiceAnswer(Throwable cause) {
      super(null, cause, false, false);
    }
  }

  private static final class NotFound extends ServiceAnswer {
    NotFound() {
      super(null);
    }
  }

  private static final class Changed extends ServiceAnswer {
    Changed() {
      super(null);
    }
  }

  private final class InvalidBlockList extends ServiceAnswer {
    InvalidBlockList(BlobStorageException cause) {
      super(cause);
    }

    IOException asIo() {
      return failure("commit", (RuntimeException) getCause());
    }
  }
}
