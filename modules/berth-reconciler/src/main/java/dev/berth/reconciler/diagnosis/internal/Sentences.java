package dev.berth.reconciler.diagnosis.internal;

/** Small text helpers for findings. Stateless. */
final class Sentences {

  private Sentences() {}

  /** {@code the user-assigned identity x} → {@code The user-assigned identity x}. */
  static String capitalize(String text) {
    return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }
}
