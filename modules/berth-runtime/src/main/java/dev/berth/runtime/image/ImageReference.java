package dev.berth.runtime.image;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An image reference as a container app names it: {@code registry/repository[:tag][@digest]}. The
 * registry part is required (Container Apps has no default registry in Berth); a reference with
 * neither tag nor digest means {@code :latest}.
 *
 * @param registry the login server, such as {@code localhost:5001} or {@code myacr.berth.local}
 * @param repository the repository path, such as {@code team-a/api}
 * @param tag the tag, or null when only a digest is given
 * @param digest {@code sha256:…}, or null
 */
public record ImageReference(String registry, String repository, String tag, String digest) {

  private static final Pattern REPOSITORY =
      Pattern.compile(
          "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
  private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");

  public ImageReference {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(repository, "repository");
    if (tag == null && digest == null) {
      tag = "latest";
    }
  }

  /**
   * Parses {@code reference}; the first path segment is the registry.
   *
   * @throws IllegalArgumentException naming what is malformed
   */
  public static ImageReference parse(String reference) {
    String rest = reference.strip();
    int slash = rest.indexOf('/');
    if (slash <= 0) {
      throw new IllegalArgumentException(
          "image '" + reference + "' names no registry; use <login server>/<repository>:<tag>");
    }
    String registry = rest.substring(0, slash);
    rest = rest.substring(slash + 1);
    String digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.substring(at + 1);
      rest = rest.substring(0, at);
      if (!DIGEST.matcher(digest).matches()) {
        throw new IllegalArgumentException("image '" + reference + "' has a malformed digest");
      }
    }
    String tag = null;
    int colon = rest.lastIndexOf(':');
    if (colon >= 0) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
      if (!TAG.matcher(tag).matches()) {
        throw new IllegalArgumentException("image '" + reference + "' has a malformed tag");
      }
    }
    if (!REPOSITORY.matcher(rest).matches()) {
      throw new IllegalArgumentException(
          "image '" + reference + "' has a malformed repository name '" + rest + "'");
    }
    return new ImageReference(registry.toLowerCase(Locale.ROOT), rest, tag, digest);
  }

  /** The tag or digest the registry is asked for: the digest when there is one. */
  public String manifestReference() {
    return digest != null ? digest : tag;
  }

  @Override
  public String toString() {
    return registry
        + "/"
        + repository
        + (tag != null ? ":" + tag : "")
        + (digest != null ? "@" + digest : "");
  }
}
