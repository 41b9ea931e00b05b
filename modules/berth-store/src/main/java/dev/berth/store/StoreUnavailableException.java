package dev.berth.store;

/**
 * The store cannot be reached now (its database server is down, restarting, or dropped the
 * connection); a later call may work, as the store connects again by itself. The API answers it
 * with 503 and {@code Retry-After}, not as a fault of Berth.
 */
public final class StoreUnavailableException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
