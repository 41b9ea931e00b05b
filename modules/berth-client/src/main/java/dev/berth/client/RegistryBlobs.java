package dev.berth.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Moves one blob between a file and a repository of a login server: push checks whether the blob is
 * there ({@code HEAD}), then uploads it in one request ({@code POST …/blobs/uploads/} and {@code
 * PUT <location>?digest=…}); pull follows the registry's redirect to storage and verifies the
 * digest before the file appears. Reports progress as it goes. Thread-safe.
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pushing-blobs">OCI
 *     distribution spec, pushing and pulling blobs</a>
 */
public final class RegistryBlobs {

  /** A blob's digest and size, and whether the registry already had it. */
  public record Blob(String digest, long size, boolean existed) {}

  /** Told how many bytes of {@code total} have moved so far. */
  @FunctionalInterface
  public interface Progress {
    void update(long done, long total);
  }

  private static final List<Integer> REDIRECTS = List.of(301, 302, 303, 307, 308);

  private final RegistryClient client;
  private final Transport transport;

  RegistryBlobs(RegistryClient client, Transport transport) {
    this.client = client;
    this.transport = transport;
  }

  /** {@code sha256:<hex>} of a file's content. */
  public static String digest(Path file) {
    MessageDigest sha = sha256();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
      in.transferTo(OutputStream.nullOutputStream());
      return "sha256:" + HexFormat.of().formatHex(sha.digest());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** True when {@code HEAD /v2/<repo>/blobs/<digest>} answers 200. */
  public boolean exists(String repository, String digest) {
    HttpResponse<String> head =
        client.authenticated(
            "HEAD",
            "/v2/" + repository + "/blobs/" + digest,
            HttpRequest.BodyPublishers::noBody,
            HttpResponse.BodyHandlers.ofString());
    if (head.statusCode() == 200) {
      return true;
    }
    if (head.statusCode() == 404) {
      return false;
    }
    throw RegistryResponses.error(head.statusCode(), RegistryResponses.parse(head.body()));
  }

  /** Uploads a file as a blob unless the repository already has it. */
  public Blob push(String repository, Path file, Progress progress) {
    String digest = digest(file);
    long size = size(file);
    if (exists(repository, digest)) {
      progress.update(size, size);
      return new Blob(digest, size, true);
    }
    HttpResponse<String> start =
        client.authenticated(
            "POST",
            "/v2/" + repository + "/blobs/uploads/",
            HttpRequest.BodyPublishers::noBody,
            HttpResponse.BodyHandlers.ofString());
    if (start.statusCode() != 202) {
      throw RegistryResponses.error(start.statusCode(), RegistryResponses.parse(start.body()));
    }
    String location =
        start
            .headers()
            .firstValue("Location")
            .orElseThrow(
                () ->
                    new RegistryCallException(
                        202, "BLOB_UPLOAD_INVALID", "The upload was started without a Location."));
    String put =
        client.resolve(location)
            + (location.contains("?") ? "&" : "?")
            + "digest="
            + digest.replace(":", "%3A");
    HttpResponse<String> done =
        client.authenticated(
            "PUT", put, () -> counting(file, size, progress), HttpResponse.BodyHandlers.ofString());
    if (done.statusCode() != 201) {
      throw RegistryResponses.error(done.statusCode(), RegistryResponses.parse(done.body()));
    }
    return new Blob(digest, size, false);
  }

  /**
   * Downloads a blob to {@code target} through a temporary file beside it, renamed only once the
   * content's digest matches.
   */
  public Blob pull(String repository, String digest, Path target, Progress progress) {
    HttpResponse<InputStream> response =
        client.authenticated(
            "GET",
            "/v2/" + repository + "/blobs/" + digest,
            HttpRequest.BodyPublishers::noBody,
            HttpResponse.BodyHandlers.ofInputStream());
    if (REDIRECTS.contains(response.statusCode())) {
      URI next = response.uri().resolve(response.headers().firstValue("Location").orElse(""));
      close(response.body());
      // Storage redirects carry their own signature: the registry token must not follow them.
      response =
          transport.send(
              HttpRequest.newBuilder(next).header("User-Agent", "berth-cli").GET().build(),
              HttpResponse.BodyHandlers.ofInputStream());
    }
    if (response.statusCode() != 200) {
      throw RegistryResponses.error(
          response.statusCode(), RegistryResponses.parse(text(response.body())));
    }
    long total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
    try {
      Path dir = target.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, ".blob", ".tmp");
      long done = 0;
      MessageDigest sha = sha256();
      try (InputStream in = response.body();
          OutputStream out = Files.newOutputStream(tmp)) {
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = in.read(buffer)) > 0; ) {
          out.write(buffer, 0, n);
          sha.update(buffer, 0, n);
          done += n;
          progress.update(done, total);
        }
      }
      String actual = "sha256:" + HexFormat.of().formatHex(sha.digest());
      if (!actual.equals(digest)) {
        Files.deleteIfExists(tmp);
        throw new RegistryCallException(
            200,
            "DIGEST_INVALID",
            "The blob's content has digest " + actual + ", not " + digest + ".");
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      return new Blob(digest, done, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }

  /** The file as a request body that reports each buffer as it goes out. */
  private static HttpRequest.BodyPublisher counting(Path file, long size, Progress progress) {
    HttpRequest.BodyPublisher delegate;
    try {
      delegate = HttpRequest.BodyPublishers.ofFile(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    AtomicLong sent = new AtomicLong();
    return new HttpRequest.BodyPublisher() {
      @Override
      public long contentLength() {
        return delegate.contentLength();
      }

      @Override
      public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        delegate.subscribe(
            new Flow.Subscriber<ByteBuffer>() {
              @Override
              public void onSubscribe(Flow.Subscription subscription) {
                subscriber.onSubscribe(subscription);
              }

              @Override
              public void onNext(ByteBuffer item) {
                long n = item.remaining();
                subscriber.onNext(item);
                progress.update(sent.addAndGet(n), size);
              }

              @Override
              public void onError(Throwable throwable) {
                subscriber.onError(throwable);
              }

              @Override
              public void onComplete() {
                subscriber.onComplete();
              }
            });
      }
    };
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static String text(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private static void close(InputStream in) {
    try {
      in.close();
    } catch (IOException e) {
      // the connection is dropped instead of reused
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
