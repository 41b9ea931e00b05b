package dev.berth.client;

/**
 * A registry (login server) answered with an error: the HTTP status and the first entry of ACR's
 * envelope {@code {"errors":[{"code","message","detail"}]}}, exactly as sent. Immutable.
 */
public final class RegistryCallException extends RuntimeException {

  private final int status;
  private final String code;

  public RegistryCallException(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  /** The registry error code, such as {@code NAME_UNKNOWN} or {@code DENIED}. */
  public String code() {
    return code;
  }
}
