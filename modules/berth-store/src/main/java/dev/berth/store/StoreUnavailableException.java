package dev.berth.store;

/**
 * The store cannot be reached now (its database server is down, restarting, or dropped the
 * connection); a later call may work, as the store connects again by itself. The API answers it
 * with 503 and {@code Retry-After}, not as a fault of Berth.
 */
public final class StoreUnavailableException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  /** What an API tells its client meanwhile. */
  public static final String ADVICE =
      "Berth cannot reach its resource store now; try again shortly.";

  /** The {@code Retry-After} an API answers with meanwhile, in seconds. */
  public static final String RETRY_AFTER_SECONDS = "5";

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
