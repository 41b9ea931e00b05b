package dev.berth.runtime.image;

import java.util.Optional;

/**
 * A pull that failed. The message is what a container runtime prints, the registry's own answer
 * behind the request that got it — {@code POST https://r/oauth2/exchange: UNAUTHORIZED: …} — so
 * that the revision's error reads as Container Apps' does; {@link #reason()}, {@link #step()} and
 * {@link #registryCode()} are for the diagnosis, which must not parse the message.
 */
public final class PullException extends Exception {

  /** What went wrong, coarsely. */
  public enum Reason {
    /** 401: no or bad credentials, a token the registry refused, an identity with no token. */
    UNAUTHORIZED,
    /** 403: authenticated but not allowed (network rules, missing role on the token). */
    DENIED,
    /** The repository does not exist. */
    NAME_UNKNOWN,
    /** The tag or digest does not exist in the repository. */
    MANIFEST_UNKNOWN,
    /** An index with no linux/amd64 image. */
    NO_MATCHING_PLATFORM,
    /** Connection refused, timed out, TLS failure: the registry was not reached. */
    UNREACHABLE,
    /** The registry sent something unusable: bad JSON, a digest that does not match. */
    INVALID
  }

  /** Which request of the pull failed. */
  public enum Step {
    PING,
    EXCHANGE,
    TOKEN,
    MANIFEST,
    BLOB,
    UNPACK
  }

  private final Reason reason;
  private final Step step;
  private final int status;
  private final String registryCode;

  /**
   * @param status the HTTP status, 0 when there was no response
   * @param registryCode the first error code in the registry's body ({@code UNAUTHORIZED}), or null
   */
  public PullException(
      Reason reason, Step step, int status, String registryCode, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
    this.step = step;
    this.status = status;
    this.registryCode = registryCode;
  }

  public Reason reason() {
    return reason;
  }

  public Step step() {
    return step;
  }

  public int status() {
    return status;
  }

  public Optional<String> registryCode() {
    return Optional.ofNullable(registryCode);
  }
}
