package dev.berth.registry.blob;

import java.io.IOException;

/**
 * The service behind a blob store did not serve a call: it refused the credential, did not answer,
 * or failed. Not a fault of the client's nor of Berth's code: the registry answers 503 {@code
 * UNAVAILABLE}, and the client may try again. The message names the service's status and code,
 * never the signed request.
 */
public final class BlobStoreUnavailableException extends IOException {

  public BlobStoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
