package dev.berth.runtime;

/** A replica could not be started or stopped; the message is meant for the user. */
public final class RuntimeFailure extends Exception {

  public RuntimeFailure(String message) {
    super(message);
  }

  public RuntimeFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
