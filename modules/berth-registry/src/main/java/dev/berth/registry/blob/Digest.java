package dev.berth.registry.blob;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A content digest {@code algorithm:hex} as OCI spells it; {@code sha256} and {@code sha512} are
 * supported, hex is lower-case of the algorithm's exact length. Immutable.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/descriptor.md#digests">OCI
 *     image spec, digests</a>
 */
public record Digest(String algorithm, String hex) {

  private static final Map<String, Integer> HEX_LENGTH = Map.of("sha256", 64, "sha512", 128);
  private static final Pattern HEX = Pattern.compile("[a-f0-9]+");

  public Digest {
    Integer length = HEX_LENGTH.get(algorithm);
    if (length == null) {
      throw new IllegalArgumentException("unsupported digest algorithm: " + algorithm);
    }
    if (hex.length() != length || !HEX.matcher(hex).matches()) {
      throw new IllegalArgumentException("invalid " + algorithm + " hex: " + hex);
    }
  }

  /**
   * @throws IllegalArgumentException when {@code text} is not a supported digest
   */
  public static Digest parse(String text) {
    int colon = text.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("not a digest: " + text);
    }
    return new Digest(text.substring(0, colon), text.substring(colon + 1));
  }

  public static Optional<Digest> tryParse(String text) {
    try {
      return Optional.of(parse(text));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** The sha256 digest of {@code content}. */
  public static Digest sha256(byte[] content) {
    return of("sha256", content);
  }

  /** The digest of {@code content} with {@code algorithm}. */
  public static Digest of(String algorithm, byte[] content) {
    MessageDigest md = newMessageDigest(algorithm);
    return new Digest(algorithm, HexFormat.of().formatHex(md.digest(content)));
  }

  /** A fresh JDK digester for an OCI algorithm name. */
  public static MessageDigest newMessageDigest(String algorithm) {
    try {
      return MessageDigest.getInstance(
          switch (algorithm) {
            case "sha256" -> "SHA-256";
            case "sha512" -> "SHA-512";
            default -> throw new IllegalArgumentException("unsupported algorithm " + algorithm);
          });
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The digest a finished digester stands for. */
  public static Digest from(String algorithm, MessageDigest finished) {
    return new Digest(algorithm, HexFormat.of().formatHex(finished.digest()));
  }

  /** A file-name-safe spelling, {@code sha256-abc…}, for link files. */
  public String fileName() {
    return algorithm + "-" + hex;
  }

  @Override
  public String toString() {
    return algorithm + ":" + hex;
  }
}
