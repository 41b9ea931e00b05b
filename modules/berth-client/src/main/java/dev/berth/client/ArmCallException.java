package dev.berth.client;

/**
 * An ARM call that the server answered with an error: carries the HTTP status and the {@code
 * error.code} / {@code error.message} of the ARM envelope exactly as sent. Immutable.
 */
public final class ArmCallException extends RuntimeException {

  private final int status;
  private final String code;

  public ArmCallException(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  /** HTTP status of the failed response (or of the final poll of a long-running operation). */
  public int status() {
    return status;
  }

  /** The ARM error code, such as {@code ResourceGroupNotFound}. */
  public String code() {
    return code;
  }
}
