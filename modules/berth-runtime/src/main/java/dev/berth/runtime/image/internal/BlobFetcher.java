package dev.berth.runtime.image.internal;

import dev.berth.runtime.image.PullException;
import dev.berth.runtime.image.PullException.Step;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Downloads blobs ({@code GET /v2/<repo>/blobs/<digest>}), following redirects — without the
 * registry's {@code Authorization} once they leave the registry's host, as ACR's storage redirects
 * carry their own signature — and hands their bodies out as {@link VerifiedBlob}s, which check size
 * and digest while the bytes stream by. Stateless; thread-safe.
 */
final class BlobFetcher {

  private static final int MAX_REDIRECTS = 5;

  /**
   * Opens {@code blob}'s body, checked as it is read ({@link VerifiedBlob}); the caller reads it,
   * calls {@link VerifiedBlob#verify} and closes it.
   */
  VerifiedBlob open(
      RegistryEndpoint endpoint, Optional<String> authorization, String repository, Descriptor blob)
      throws PullException {
    URI uri = endpoint.resolve("/v2/" + repository + "/blobs/" + blob.digest());
    String registryHost = uri.getAuthority();
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      Optional<String> auth =
          Objects.equals(uri.getAuthority(), registryHost) ? authorization : Optional.empty();
      URI current = uri;
      RegistryTransport.Answer answer =
          endpoint.send(
              Step.BLOB,
              "GET",
              current,
              r -> auth.ifPresent(a -> r.headers(h -> h.put(HttpHeader.AUTHORIZATION, a))));
      int status = answer.status();
      if (status == 200) {
        return new VerifiedBlob(answer, blob, current);
      }
      try (answer) {
        Optional<String> location = answer.header("Location");
        if (status >= 300 && status < 400 && location.isPresent()) {
          uri = current.resolve(location.get());
          continue;
        }
        byte[] body = readError(answer.body());
        throw PullErrors.fromResponse(
            Step.BLOB, "GET", current.toString(), status, body, Optional.empty());
      }
    }
    throw PullErrors.invalid(
        Step.BLOB, "GET", uri.toString(), "more than " + MAX_REDIRECTS + " redirects");
  }

  /** Downloads a small blob (the config) into memory, verified. */
  byte[] bytes(
      RegistryEndpoint endpoint, Optional<String> authorization, String repository, Descriptor blob)
      throws PullException {
    try (VerifiedBlob in = open(endpoint, authorization, repository, blob)) {
      byte[] content;
      try {
        content = in.readAllBytes();
      } catch (IOException e) {
        // Nothing but this stream is read here: its failure is the only one there can be.
        throw in.failure().orElseThrow(() -> new IllegalStateException(e.getMessage(), e));
      }
      in.verify();
      return content;
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
