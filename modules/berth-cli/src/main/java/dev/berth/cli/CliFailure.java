package dev.berth.cli;

/** A failure the CLI reports as {@code ERROR: <message>} with exit code 1. Immutable. */
final class CliFailure extends RuntimeException {

  CliFailure(String message) {
    super(message, null, false, false);
  }
}
