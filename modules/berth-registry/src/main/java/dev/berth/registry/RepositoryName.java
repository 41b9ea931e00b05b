package dev.berth.registry;

import java.util.regex.Pattern;

/**
 * The distribution spec's grammar of repository names: path components of lower-case letters and
 * digits joined by {@code .}, {@code _}, {@code __} or dashes, separated by {@code /}, at most 255
 * characters in all. So {@code ..}, empty components and upper case never pass, and a grant on
 * {@code team-b/*} cannot be stretched to {@code team-b/../secret}. Stateless and thread-safe.
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/v1.1.1/spec.md#pulling-manifests">OCI
 *     distribution spec v1.1.1, the {@code <name>} grammar</a>
 */
public final class RepositoryName {

  /** Distribution's limit on a whole name (the spec lets registries set one). */
  public static final int MAX_LENGTH = 255;

  private static final Pattern GRAMMAR =
      Pattern.compile("[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*");

  private RepositoryName() {}

  /** True when {@code name} is a repository name the spec allows. */
  public static boolean isValid(String name) {
    return name != null
        && !name.isEmpty()
        && name.length() <= MAX_LENGTH
        && GRAMMAR.matcher(name).matches();
  }
}
