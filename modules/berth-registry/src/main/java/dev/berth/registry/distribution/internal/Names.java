package dev.berth.registry.distribution.internal;

import dev.berth.registry.RegistryErrorCode;
import dev.berth.registry.RegistryException;
import dev.berth.registry.RepositoryName;
import dev.berth.registry.blob.Digest;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Validates what clients put in paths: repository names (OCI grammar, at most 255 characters), tags
 * and digests, each failing with the spec's error code. Stateless and thread-safe.
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pulling-manifests">OCI
 *     distribution spec, names and references</a>
 */
public final class Names {

  private static final Pattern TAG = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");

  private Names() {}

  public static String repository(String name) {
    if (!RepositoryName.isValid(name)) {
      throw RegistryException.of(
          RegistryErrorCode.NAME_INVALID, "invalid repository name", Map.of("name", name));
    }
    return name;
  }

  public static boolean isTag(String reference) {
    return TAG.matcher(reference).matches();
  }

  public static String tag(String tag) {
    if (!isTag(tag)) {
      throw RegistryException.of(
          RegistryErrorCode.MANIFEST_INVALID, "invalid tag", Map.of("Tag", tag));
    }
    return tag;
  }

  public static Digest digest(String text) {
    try {
      return Digest.parse(text);
    } catch (IllegalArgumentException e) {
      throw RegistryException.of(
          RegistryErrorCode.DIGEST_INVALID, "provided digest did not match uploaded content", text);
    }
  }

  /** True when {@code reference} is a valid tag or a valid digest (spec's two forms). */
  public static boolean isWellFormedReference(String reference) {
    return isDigest(reference) ? Digest.tryParse(reference).isPresent() : isTag(reference);
  }

  /** True when {@code reference} looks like a digest ({@code alg:…}) rather than a tag. */
  public static boolean isDigest(String reference) {
    return reference.indexOf(':') > 0;
  }
}
