package dev.berth.runtime.image.internal;

import dev.berth.api.files.PrivateFiles;
import dev.berth.runtime.image.PullException;
import dev.berth.runtime.image.PullException.Step;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Downloads blobs ({@code GET /v2/<repo>/blobs/<digest>}), following redirects — without the
 * registry's {@code Authorization} once they leave the registry's host, as ACR's storage redirects
 * carry their own signature — and verifying size and digest while the bytes stream by. Stateless;
 * thread-safe.
 */
final class BlobFetcher {

  private static final int MAX_REDIRECTS = 5;

  /** Downloads {@code blob} to {@code target} (replaced); throws INVALID on a wrong digest. */
  void toFile(
      RegistryEndpoint endpoint,
      Optional<String> authorization,
      String repository,
      Descriptor blob,
      Path target)
      throws PullException {
    try (OutputStream out =
        Channels.newOutputStream(
            PrivateFiles.open(
                target,
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE))) {
      fetch(endpoint, authorization, repository, blob, out);
    } catch (IOException e) {
      throw new PullException(
          PullException.Reason.INVALID,
          Step.BLOB,
          0,
          null,
          "cannot write blob " + blob.digest() + " to " + target + ": " + e.getMessage(),
          e);
    }
  }

  /** Downloads a small blob (the config) into memory. */
  byte[] bytes(
      RegistryEndpoint endpoint, Optional<String> authorization, String repository, Descriptor blob)
      throws PullException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    fetch(endpoint, authorization, repository, blob, out);
    return out.toByteArray();
  }

  private void fetch(
      RegistryEndpoint endpoint,
      Optional<String> authorization,
      String repository,
      Descriptor blob,
      OutputStream out)
      throws PullException {
    URI uri = endpoint.resolve("/v2/" + repository + "/blobs/" + blob.digest());
    String registryHost = uri.getAuthority();
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      Optional<String> auth =
          Objects.equals(uri.getAuthority(), registryHost) ? authorization : Optional.empty();
      URI current = uri;
      try (RegistryTransport.Answer answer =
          endpoint.send(
              Step.BLOB,
              "GET",
              current,
              r -> auth.ifPresent(a -> r.headers(h -> h.put(HttpHeader.AUTHORIZATION, a))))) {
        int status = answer.status();
        Optional<String> location = answer.header("Location");
        if (status >= 300 && status < 400 && location.isPresent()) {
          uri = current.resolve(location.get());
          continue;
        }
        if (status != 200) {
          byte[] body = readError(answer.body());
          throw PullErrors.fromResponse(
              Step.BLOB, "GET", current.toString(), status, body, Optional.empty());
        }
        copyVerified(answer.body(), out, blob, current);
        return;
      }
    }
    throw PullErrors.invalid(
        Step.BLOB, "GET", uri.toString(), "more than " + MAX_REDIRECTS + " redirects");
  }

  private static void copyVerified(InputStream in, OutputStream out, Descriptor blob, URI uri)
      throws PullException {
    MessageDigest sha256 = Digests.sha256();
    long total = 0;
    byte[] buffer = new byte[64 * 1024];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        total += n;
        if (blob.size() >= 0 && total > blob.size()) {
          throw PullErrors.invalid(
              Step.BLOB,
              "GET",
              uri.toString(),
              "blob " + blob.digest() + " is larger than its " + blob.size() + " bytes");
        }
        sha256.update(buffer, 0, n);
        out.write(buffer, 0, n);
      }
    } catch (IOException e) {
      throw PullErrors.unreachable(Step.BLOB, "GET", uri, e);
    }
    String actual = Digests.format(sha256.digest());
    if (!actual.equals(blob.digest())) {
      throw PullErrors.invalid(
          Step.BLOB,
          "GET",
          uri.toString(),
          "digest mismatch: expected " + blob.digest() + ", got " + actual);
    }
  }

  private static byte[] readError(InputStream body) {
    try (body) {
      return body.readNBytes(64 * 1024);
    } catch (IOException e) {
      return new byte[0];
    }
  }
}
