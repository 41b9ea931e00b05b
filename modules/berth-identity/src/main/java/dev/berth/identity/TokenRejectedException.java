package dev.berth.identity;

/** Why a bearer token was refused; each reason maps to one ARM 401 code. */
public final class TokenRejectedException extends Exception {

  /** The reasons a token is refused. */
  public enum Reason {
    /** Not a JWT, or not one Berth could have issued. */
    MALFORMED,
    /** Signed by a key Berth does not hold. */
    BAD_SIGNATURE,
    /** Issued by another issuer. */
    WRONG_ISSUER,
    /** {@code exp} has passed. */
    EXPIRED,
    /** {@code nbf} is in the future. */
    NOT_YET_VALID,
    /** {@code aud} is not one the endpoint accepts. */
    WRONG_AUDIENCE,
    /** The principal it names no longer exists (a deleted identity). */
    UNKNOWN_PRINCIPAL
  }

  private final Reason reason;

  public TokenRejectedException(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
