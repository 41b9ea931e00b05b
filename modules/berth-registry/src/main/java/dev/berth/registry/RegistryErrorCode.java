package dev.berth.registry;

/**
 * The registry error catalog: OCI distribution-spec codes plus ACR's, each with its HTTP status.
 * Handlers throw a {@link RegistryException} naming one and never pick a status themselves.
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#error-codes">OCI
 *     distribution spec, error codes</a>
 */
public enum RegistryErrorCode {
  BLOB_UNKNOWN(404),
  BLOB_UPLOAD_INVALID(400),
  BLOB_UPLOAD_UNKNOWN(404),
  DIGEST_INVALID(400),
  /**
   * ACR answers 400 for a manifest naming a missing blob, one error per blob (seen in <a
   * href="https://github.com/Azure/azure-sdk-for-net/issues/36076">azure-sdk-for-net#36076</a>).
   */
  MANIFEST_BLOB_UNKNOWN(400),
  MANIFEST_INVALID(400),
  MANIFEST_UNKNOWN(404),
  NAME_INVALID(400),
  NAME_UNKNOWN(404),
  SIZE_INVALID(400),
  /** A manifest larger than the registry accepts: the spec's 413 for manifest PUT (end-7). */
  MANIFEST_TOO_LARGE(413),
  RANGE_INVALID(416),
  UNAUTHORIZED(401),
  DENIED(403),
  UNSUPPORTED(415),
  METHOD_UNKNOWN(405),
  TOOMANYREQUESTS(429),
  PAGINATION_NUMBER_INVALID(400),
  /**
   * Berth cannot serve now and the client may try again (its store is down): Docker distribution's
   * {@code UNAVAILABLE}, which the OCI spec does not list.
   */
  UNAVAILABLE(503),
  /** Berth failed, not the client. */
  UNKNOWN(500);

  private final int status;

  RegistryErrorCode(int status) {
    this.status = status;
  }

  public int status() {
    return status;
  }
}
