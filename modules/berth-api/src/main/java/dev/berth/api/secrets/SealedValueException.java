package dev.berth.api.secrets;

/**
 * A stored secret that cannot be opened: it is not sealed (a clear value where only sealed ones are
 * accepted), it was sealed with another key, for another slot, or it was altered. The message names
 * the slot and the key ids, never the value.
 */
public final class SealedValueException extends RuntimeException {

  SealedValueException(String message) {
    super(message);
  }

  SealedValueException(String message, Throwable cause) {
    super(message, cause);
  }
}
