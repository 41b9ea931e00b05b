package dev.berth.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Berth's RS256 signing keys: RSA 2048 keys whose {@code kid} is the RFC 7638 thumbprint, kept as a
 * private JWK set in {@code {keyDirectory}/jwks.json} (mode 0600) so tokens survive a restart. The
 * first key signs; every key verifies. Immutable and thread-safe.
 */
public final class SigningKeys {

  /** The file name of the private key set inside the key directory. */
  public static final String FILE_NAME = "jwks.json";

  private final List<RSAKey> keys;

  private SigningKeys(List<RSAKey> keys) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("no signing keys");
    }
    this.keys = List.copyOf(keys);
  }

  /**
   * Loads the key set from {@code directory}, or generates one key and stores it there when the
   * file does not exist yet.
   *
   * @throws UncheckedIOException when the file exists but cannot be read or parsed: regenerating
   *     silently would invalidate every token and hide a broken data directory
   */
  public static SigningKeys loadOrCreate(Path directory) {
    Path file = directory.resolve(FILE_NAME);
    try {
      if (Files.exists(file)) {
        return load(file);
      }
      SigningKeys created = new SigningKeys(List.of(generate()));
      created.save(directory);
      return created;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write signing keys in " + directory, e);
    }
  }

  /** Fresh keys kept only in memory (tests). */
  public static SigningKeys ephemeral() {
    return new SigningKeys(List.of(generate()));
  }

  private static SigningKeys load(Path file) throws IOException {
    String json = Files.readString(file, StandardCharsets.UTF_8);
    try {
      List<RSAKey> keys = new ArrayList<>();
      for (JWK jwk : JWKSet.parse(json).getKeys()) {
        if (jwk instanceof RSAKey rsa && rsa.isPrivate()) {
          keys.add(rsa);
        }
      }
      if (keys.isEmpty()) {
        throw new IOException(file + " holds no private RSA key");
      }
      return new SigningKeys(keys);
    } catch (ParseException e) {
      throw new IOException(file + " is not a JWK set", e);
    }
  }

  private static RSAKey generate() {
    try {
      return new RSAKeyGenerator(2048)
          .keyUse(KeyUse.SIGNATURE)
          .algorithm(JWSAlgorithm.RS256)
          .keyIDFromThumbprint(true)
          .generate();
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot generate an RSA key", e);
    }
  }

  /** Writes to a temporary file beside the target, forces it to disk, then renames atomically. */
  private void save(Path directory) throws IOException {
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    if (!Files.isDirectory(directory)) {
      Files.createDirectories(
          directory,
          posix
              ? new FileAttribute<?>[] {
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))
              }
              : new FileAttribute<?>[0]);
    }
    FileAttribute<?>[] ownerOnly =
        posix
            ? new FileAttribute<?>[] {
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
            }
            : new FileAttribute<?>[0];
    Path tmp = Files.createTempFile(directory, ".jwks-", ".tmp", ownerOnly);
    try {
      byte[] bytes =
          new JWKSet(List.<JWK>copyOf(keys)).toString(false).getBytes(StandardCharsets.UTF_8);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.write(ByteBuffer.wrap(bytes));
        ch.force(true);
      }
      Files.move(
          tmp,
          directory.resolve(FILE_NAME),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** The key that signs new tokens. */
  public RSAKey signingKey() {
    return keys.get(0);
  }

  /** The key with this {@code kid}, if Berth holds it. */
  public Optional<RSAKey> byKeyId(String kid) {
    return keys.stream().filter(k -> k.getKeyID().equals(kid)).findFirst();
  }

  /** Every key, private parts included; the first signs. */
  public List<RSAKey> all() {
    return keys;
  }

  /** The public JWK set, as the {@code jwks_uri} serves it. */
  public JWKSet publicJwks() {
    return new JWKSet(List.<JWK>copyOf(keys)).toPublicJWKSet();
  }

  /** The public JWK set as a JSON-ready map ({@code {"keys":[…]}}). */
  public Map<String, Object> publicJwksJson() {
    return publicJwks().toJSONObject(true);
  }
}
