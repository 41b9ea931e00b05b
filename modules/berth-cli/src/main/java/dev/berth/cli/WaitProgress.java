package dev.berth.cli;

import java.util.function.Consumer;

/**
 * Tells the user on stderr that a command waits for a long-running operation: one line when the
 * wait starts and one whenever the operation's status changes, never one per poll. Not thread-safe
 * (one per operation).
 */
final class WaitProgress implements Consumer<String> {

  private final Consumer<String> stderr;
  private final String what;
  private String last;

  private WaitProgress(Consumer<String> stderr, String what) {
    this.stderr = stderr;
    this.what = what;
  }

  /** Progress of {@code what} ("creating container app 'api'") printed through {@code stderr}. */
  static WaitProgress of(Consumer<String> stderr, String what) {
    return new WaitProgress(stderr, what);
  }

  @Override
  public void accept(String status) {
    if (!status.equals(last)) {
      last = status;
      stderr.accept("Waiting for " + what + " to finish: " + status);
    }
  }
}
