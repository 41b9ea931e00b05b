package dev.berth.client;

/**
 * The token endpoint refused a client-credentials request with an Entra error body ({@code
 * {"error":"invalid_client","error_description":"…"}}). Immutable.
 */
public final class TokenRequestException extends RuntimeException {

  private final int status;
  private final String error;

  public TokenRequestException(int status, String error, String description) {
    super(description, null, false, false);
    this.status = status;
    this.error = error;
  }

  public int status() {
    return status;
  }

  /** The OAuth error code, such as {@code invalid_client}. */
  public String error() {
    return error;
  }
}
