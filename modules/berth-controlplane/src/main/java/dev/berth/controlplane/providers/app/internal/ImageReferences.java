package dev.berth.controlplane.providers.app.internal;

import java.util.regex.Pattern;

/**
 * The grammar of an image reference, {@code [host[:port]/]path[:tag][@digest]}, as the distribution
 * project's {@code reference} package defines it: lower-case path components joined by {@code .},
 * {@code _}, {@code __} or dashes, at most 255 characters of name. So {@code
 * localhost:1/../../etc/passwd} is no image. Stateless and thread-safe.
 *
 * @see <a href="https://github.com/distribution/reference/blob/main/reference.go">distribution
 *     reference grammar</a>
 */
final class ImageReferences {

  /** distribution's {@code NameTotalLengthMax}. */
  static final int MAX_NAME = 255;

  private static final String DOMAIN_COMPONENT =
      "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
  private static final String DOMAIN =
      "(?:"
          + DOMAIN_COMPONENT
          + "(?:\\."
          + DOMAIN_COMPONENT
          + ")*|\\[[a-fA-F0-9:]+\\])(?::[0-9]{1,5})?";
  private static final String PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
  private static final Pattern NAME =
      Pattern.compile("(?:(" + DOMAIN + ")/)?(" + PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*)");
  private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
  private static final Pattern DIGEST =
      Pattern.compile("[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,128}");

  private ImageReferences() {}

  /** True when {@code reference} is a well-formed image reference. */
  static boolean isValid(String reference) {
    if (reference.length() > MAX_NAME + 1 + 128 + 1 + 200) {
      return false;
    }
    String rest = reference;
    int at = rest.indexOf('@');
    if (at >= 0) {
      if (!DIGEST.matcher(rest.substring(at + 1)).matches()) {
        return false;
      }
      rest = rest.substring(0, at);
    }
    // A tag follows the last ':' after the last '/', so "host:5000/app" has none.
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      if (!TAG.matcher(rest.substring(colon + 1)).matches()) {
        return false;
      }
      rest = rest.substring(0, colon);
    }
    return rest.length() <= MAX_NAME && NAME.matcher(rest).matches();
  }
}
