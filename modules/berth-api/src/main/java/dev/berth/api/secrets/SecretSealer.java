package dev.berth.api.secrets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secret values for the store with AES-256-GCM (the JDK's), so that a copy of the database
 * alone reveals none of them. A sealed value is one string, a versioned envelope:
 *
 * <pre>
 * sealed:v1:&lt;key id&gt;:&lt;base64url(nonce ‖ ciphertext ‖ tag)&gt;
 * </pre>
 *
 * {@code v1} is AES-256-GCM with a random 96-bit nonce and a 128-bit tag; the key id is the first 8
 * bytes (hex) of SHA-256 over a label and the key, so a value sealed with another key is named as
 * such without revealing either key. The associated data is the envelope's header and the value's
 * {@link SecretSlot}: a value opens only in the document and field it was sealed for. Thread-safe.
 */
public final class SecretSealer {

  /** What every sealed value starts with, whatever its version. */
  public static final String PREFIX = "sealed:";

  private static final String V1 = PREFIX + "v1:";
  private static final int KEY_BYTES = 32;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final SecretKeySpec key;
  private final String keyId;

  private SecretSealer(byte[] key) {
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException(
          "a secrets key is " + KEY_BYTES + " bytes (AES-256); this one has " + key.length);
    }
    this.key = new SecretKeySpec(key, "AES");
    this.keyId = keyIdOf(key);
  }

  /** A sealer over a 32-byte key. */
  public static SecretSealer of(byte[] key) {
    return new SecretSealer(key.clone());
  }

  /**
   * A sealer over a key written as text: 32 bytes in base64 (standard or URL-safe, padding
   * optional, surrounding white space ignored) — what {@link #newEncodedKey()} makes and {@code
   * openssl rand -base64 32} prints.
   */
  public static SecretSealer fromEncoded(String text) {
    String compact = text.strip();
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(compact);
    } catch (IllegalArgumentException e) {
      try {
        bytes = Base64.getUrlDecoder().decode(compact);
      } catch (IllegalArgumentException e2) {
        throw new IllegalArgumentException(
            "a secrets key is 32 bytes in base64 (openssl rand -base64 32); this is not base64");
      }
    }
    try {
      return new SecretSealer(bytes);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /** A new random key, as the text {@link #fromEncoded} reads. */
  public static String newEncodedKey() {
    byte[] bytes = new byte[KEY_BYTES];
    RANDOM.nextBytes(bytes);
    try {
      return Base64.getEncoder().encodeToString(bytes);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /** This key's id, as sealed values name it (16 hex digits). */
  public String keyId() {
    return keyId;
  }

  /** Seals {@code clear} for {@code slot}; every call gives a different string. */
  public String seal(String clear, SecretSlot slot) {
    Objects.requireNonNull(clear, "clear");
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    String header = V1 + keyId + ":";
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(associatedData(header, slot));
      byte[] sealed = cipher.doFinal(clear.getBytes(StandardCharsets.UTF_8));
      ByteBuffer out = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed);
      return header + B64.encodeToString(out.array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is missing from this JDK", e);
    }
  }

  /**
   * The clear value of {@code sealed}, which must have been sealed by this key for {@code slot}.
   *
   * @throws SealedValueException when it is not a sealed value, names another key, or does not open
   *     for this slot (copied from elsewhere, or altered)
   */
  public String open(String sealed, SecretSlot slot) {
    if (sealed == null || !sealed.startsWith(PREFIX)) {
      throw new SealedValueException(
          "the secret at " + where(slot) + " is not sealed; Berth keeps only sealed secrets");
    }
    if (!sealed.startsWith(V1)) {
      throw new SealedValueException(
          "the secret at " + where(slot) + " is sealed in a format this Berth does not know");
    }
    Optional<String> id = keyIdOf(sealed);
    if (id.isEmpty() || !id.get().equals(keyId)) {
      throw new SealedValueException(
          "the secret at "
              + where(slot)
              + " was sealed with key "
              + id.orElse("(unreadable)")
              + ", but this Berth's secrets key is "
              + keyId);
    }
    String header = V1 + keyId + ":";
    byte[] payload;
    try {
      payload = Base64.getUrlDecoder().decode(sealed.substring(header.length()));
    } catch (IllegalArgumentException e) {
      throw new SealedValueException("the secret at " + where(slot) + " is damaged", e);
    }
    if (payload.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new SealedValueException("the secret at " + where(slot) + " is damaged");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, payload, 0, NONCE_BYTES));
      cipher.updateAAD(associatedData(header, slot));
      byte[] clear = cipher.doFinal(payload, NONCE_BYTES, payload.length - NONCE_BYTES);
      return new String(clear, StandardCharsets.UTF_8);
    } catch (AEADBadTagException e) {
      throw new SealedValueException(
          "the secret at "
              + where(slot)
              + " does not open: it was sealed for another place, or altered",
          e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is missing from this JDK", e);
    }
  }

  /** True when {@code value} is a value this key sealed for {@code slot}. */
  public boolean opens(String value, SecretSlot slot) {
    if (value == null || !value.startsWith(V1 + keyId + ":")) {
      return false;
    }
    try {
      open(value, slot);
      return true;
    } catch (SealedValueException e) {
      return false;
    }
  }

  /** True when {@code value} has the form of a sealed value (of any version or key). */
  public static boolean isSealed(String value) {
    return value != null && value.startsWith(PREFIX);
  }

  /** The key id a sealed value names, if it is a readable {@code v1} envelope. */
  public static Optional<String> keyIdOf(String sealed) {
    if (sealed == null || !sealed.startsWith(V1)) {
      return Optional.empty();
    }
    int end = sealed.indexOf(':', V1.length());
    return end < 0 ? Optional.empty() : Optional.of(sealed.substring(V1.length(), end));
  }

  private static byte[] associatedData(String header, SecretSlot slot) {
    return (header + slot.binding()).getBytes(StandardCharsets.UTF_8);
  }

  private static String where(SecretSlot slot) {
    return slot.field() + " of " + slot.document().value();
  }

  private static String keyIdOf(byte[] key) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update("berth secrets key id\0".getBytes(StandardCharsets.UTF_8));
      sha.update(key);
      return HexFormat.of().formatHex(sha.digest(), 0, 8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  @Override
  public String toString() {
    // Never the key.
    return "SecretSealer[key " + keyId + "]";
  }
}
