package dev.berth.registry.distribution.internal;

import dev.berth.http.HttpExchange;
import dev.berth.registry.RegistryErrorCode;
import dev.berth.registry.RegistryException;
import dev.berth.registry.blob.BlobInfo;
import dev.berth.registry.blob.BlobStoreException;
import dev.berth.registry.blob.Digest;
import dev.berth.registry.distribution.RepositoryMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The blob upload endpoints: start ({@code POST …/blobs/uploads/}), monolithic ({@code ?digest=}),
 * cross-repository mount ({@code ?mount=&from=}), chunks ({@code PATCH}), status ({@code GET}),
 * completion ({@code PUT ?digest=}) and cancel ({@code DELETE}). Thread-safe.
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pushing-blobs">OCI
 *     distribution spec, pushing blobs</a>
 */
public final class UploadHandler {

  private static final Pattern CONTENT_RANGE = Pattern.compile("(?:bytes )?(\\d+)-(\\d+)(?:/.*)?");
  private final DistributionServices services;

  public UploadHandler(DistributionServices services) {
    this.services = services;
  }

  /** A cross-repository mount's parameters: the blob and the repository it comes from. */
  record Mount(Digest digest, String from) {}

  /**
   * The mount a {@code POST …/blobs/uploads/?mount=<digest>&from=<repository>} asks for, when both
   * are well formed; otherwise the request is a plain upload ({@link RouteAccess#upload} asks
   * access to {@code from} exactly when this is present).
   */
  static Optional<Mount> mount(Call call) {
    HttpExchange ex = call.exchange();
    Optional<Digest> digest = ex.query("mount").flatMap(Digest::tryParse);
    Optional<String> from = ex.query("from").filter(UploadHandler::isName);
    return digest.isPresent() && from.isPresent()
        ? Optional.of(new Mount(digest.get(), from.get()))
        : Optional.empty();
  }

  public void start(Call call) throws Exception {
    HttpExchange ex = call.exchange();
    String name = call.name();
    Optional<Mount> mount = mount(call);
    if (mount.isPresent() && tryMount(call, mount.get())) {
      return;
    }
    RepositoryMetadata repo = services.repository(call);
    Optional<String> digest = ex.query("digest");
    if (digest.isPresent()) {
      Digest expected = Names.digest(digest.get());
      try (InputStream body = ex.bodyStream()) {
        services.blobs().put(expected, body);
      } catch (BlobStoreException e) {
        throw mapped(e);
      }
      created(call, repo, expected);
      return;
    }
    String id = services.blobs().startUpload();
    repo.linkUpload(id);
    accepted(ex, name, id, 0, 202);
  }

  /**
   * Mounts when the blob is in the source repository (the caller's pull there was granted with the
   * route's access); else false, and the request falls back to an upload.
   */
  private boolean tryMount(Call call, Mount mount) throws IOException {
    RepositoryMetadata source = services.metadata().repository(call.registryKey(), mount.from());
    // Retained, not only looked up: the manifest that follows the mount needs it to survive a GC.
    if (!source.hasBlob(mount.digest()) || !services.blobs().retain(mount.digest())) {
      return false;
    }
    created(call, services.repository(call), mount.digest());
    return true;
  }

  private static boolean isName(String name) {
    try {
      Names.repository(name);
      return true;
    } catch (RegistryException e) {
      return false;
    }
  }

  public void patch(Call call) throws Exception {
    HttpExchange ex = call.exchange();
    String id = ownedUpload(call);
    try {
      long offset = services.blobs().uploadSize(id);
      Optional<String> range = ex.header("Content-Range");
      if (range.isPresent() && !rangeFits(range.get(), offset, ex.request().getLength())) {
        throw rangeInvalid(ex, call.name(), id, offset);
      }
      long size;
      try (InputStream body = ex.bodyStream()) {
        size = services.blobs().append(id, offset, body);
      }
      accepted(ex, call.name(), id, size, 202);
    } catch (BlobStoreException e) {
      if (e.reason() == BlobStoreException.Reason.OFFSET_MISMATCH) {
        throw rangeInvalid(ex, call.name(), id, e.currentSize());
      }
      throw mapped(e);
    }
  }

  /**
   * True when a chunk's {@code Content-Range: <start>-<end>} starts at the upload's size and, with
   * a {@code Content-Length}, spans exactly that many bytes. Numbers too long for 64 bits are
   * refused (416) rather than overflowing.
   */
  static boolean rangeFits(String header, long offset, long length) {
    Matcher m = CONTENT_RANGE.matcher(header.strip());
    if (!m.matches() || m.group(1).length() > 18 || m.group(2).length() > 18) {
      return false; // 18 digits always fit in a long; longer ones are no size a chunk can have
    }
    long start = Long.parseLong(m.group(1));
    long end = Long.parseLong(m.group(2));
    return start == offset && end >= offset - 1 && (length < 0 || length == end - offset + 1);
  }

  public void put(Call call) throws Exception {
    HttpExchange ex = call.exchange();
    String id = ownedUpload(call);
    Digest expected =
        Names.digest(
            ex.query("digest")
                .orElseThrow(
                    () ->
                        RegistryException.of(
                            RegistryErrorCode.DIGEST_INVALID, "digest parameter missing")));
    try {
      long offset = services.blobs().uploadSize(id);
      try (InputStream body = ex.bodyStream()) {
        services.blobs().append(id, offset, body);
      }
      BlobInfo info = services.blobs().commitUpload(id, expected);
      RepositoryMetadata repo = services.repository(call);
      repo.unlinkUpload(id);
      created(call, repo, info.digest());
    } catch (BlobStoreException e) {
      throw mapped(e);
    }
  }

  public void status(Call call) throws Exception {
    String id = ownedUpload(call);
    try {
      accepted(call.exchange(), call.name(), id, services.blobs().uploadSize(id), 204);
    } catch (BlobStoreException e) {
      throw mapped(e);
    }
  }

  public void cancel(Call call) throws Exception {
    String id = ownedUpload(call);
    services.blobs().cancelUpload(id);
    services.repository(call).unlinkUpload(id);
    call.exchange().sendEmpty(204);
  }

  private String ownedUpload(Call call) {
    String id = call.var("uuid");
    if (!services.repository(call).ownsUpload(id)) {
      throw uploadUnknown(id);
    }
    return id;
  }

  private void created(Call call, RepositoryMetadata repo, Digest digest) throws IOException {
    repo.linkBlob(digest, services.clock().instant());
    HttpExchange ex = call.exchange();
    ex.setHeader("Location", "/v2/" + call.name() + "/blobs/" + digest);
    ex.setHeader("Docker-Content-Digest", digest.toString());
    ex.sendEmpty(201);
  }

  private static void accepted(HttpExchange ex, String name, String id, long size, int status) {
    ex.setHeader("Location", "/v2/" + name + "/blobs/uploads/" + id);
    ex.setHeader("Docker-Upload-UUID", id);
    ex.setHeader("Range", "0-" + Math.max(0, size - 1));
    ex.sendEmpty(status);
  }

  private static RegistryException rangeInvalid(
      HttpExchange ex, String name, String id, long size) {
    ex.setHeader("Location", "/v2/" + name + "/blobs/uploads/" + id);
    ex.setHeader("Range", "0-" + Math.max(0, size - 1));
    ex.setHeader("Docker-Upload-UUID", id);
    return RegistryException.of(
        RegistryErrorCode.RANGE_INVALID, "chunk does not start at the upload's current size", size);
  }

  private static RegistryException uploadUnknown(String id) {
    return RegistryException.of(
        RegistryErrorCode.BLOB_UPLOAD_UNKNOWN, "blob upload unknown to registry", id);
  }

  private static RegistryException mapped(BlobStoreException e) {
    return switch (e.reason()) {
      case DIGEST_MISMATCH ->
          RegistryException.of(
              RegistryErrorCode.DIGEST_INVALID,
              "provided digest did not match uploaded content",
              e.getMessage());
      case UPLOAD_UNKNOWN -> uploadUnknown(e.getMessage());
      case OFFSET_MISMATCH ->
          RegistryException.of(RegistryErrorCode.RANGE_INVALID, e.getMessage(), e.currentSize());
    };
  }
}
