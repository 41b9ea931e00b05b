package dev.berth.runtime.image.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** SHA-256 content digests in the OCI form {@code sha256:<64 hex>}. Stateless. */
final class Digests {

  private static final Pattern SHA256 = Pattern.compile("sha256:[a-f0-9]{64}");

  private Digests() {}

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  static String of(byte[] content) {
    return format(sha256().digest(content));
  }

  static String format(byte[] hash) {
    return "sha256:" + HexFormat.of().formatHex(hash);
  }

  static boolean isValid(String digest) {
    return digest != null && SHA256.matcher(digest).matches();
  }

  /** The hex part of a valid digest, used as a directory name in the cache. */
  static String hex(String digest) {
    if (!isValid(digest)) {
      throw new IllegalArgumentException("not a sha256 digest: " + digest);
    }
    return digest.substring("sha256:".length());
  }
}
