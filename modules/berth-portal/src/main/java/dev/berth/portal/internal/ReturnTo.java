package dev.berth.portal.internal;

import java.util.Optional;

/**
 * Where a person goes back to after signing in: only a path of the portal itself, so a link that
 * names another site ({@code //evil.example}, {@code https://…}, {@code /\evil.example}) cannot use
 * the sign-in as an open redirect. Stateless.
 */
final class ReturnTo {

  static final String HOME = "/portal";

  private ReturnTo() {}

  /** {@code candidate} if it is a local portal path, else empty. */
  static Optional<String> local(String candidate) {
    if (candidate == null || candidate.length() > 2048) {
      return Optional.empty();
    }
    // Starting with "/portal" then a path, query or nothing rules out a scheme ("https:") and a
    // host ("//host"); "//" later on and backslashes are refused too, as browsers read "\" as "/".
    boolean portalPath =
        candidate.equals(HOME)
            || candidate.startsWith(HOME + "/")
            || candidate.startsWith(HOME + "?");
    if (!portalPath
        || candidate.contains("//")
        || candidate.contains("\\")
        || candidate.startsWith(HOME + "/signin")
        || candidate.startsWith(HOME + "/signout")) {
      return Optional.empty();
    }
    // Browsers drop tabs and newlines from URLs, and a header cannot carry them: refuse any.
    for (int i = 0; i < candidate.length(); i++) {
      char c = candidate.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return Optional.empty();
      }
    }
    return Optional.of(candidate);
  }
}
