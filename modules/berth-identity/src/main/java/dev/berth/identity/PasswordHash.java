package dev.berth.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.http.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Hashes people's passwords with Argon2id (BouncyCastle's {@link Argon2BytesGenerator}) and checks
 * them in constant time. Passwords are chosen by people, so unlike Berth's random secrets ({@code
 * SecretRecipe}) they need a slow, memory-hard hash. The parameters are OWASP's first Argon2id
 * choice (19 MiB, 2 passes, 1 lane) and are stored beside each hash, so they can grow later.
 * Stateless, thread-safe.
 *
 * @see <a
 *     href="https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html">OWASP
 *     password storage</a>
 */
public final class PasswordHash {

  /** The algorithm name stored beside a hash. */
  public static final String ALGORITHM = "argon2id";

  static final int MEMORY_KIB = 19 * 1024;
  static final int ITERATIONS = 2;
  static final int PARALLELISM = 1;
  private static final int HASH_BYTES = 32;
  private static final int SALT_BYTES = 16;

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getEncoder();
  private static final Base64.Decoder B64D = Base64.getDecoder();

  // Checked against when the user is unknown, so that a miss costs the same as a wrong password.
  private static final JsonNode DUMMY = of("not a password anyone has");

  private PasswordHash() {}

  /**
   * A fresh salted hash of {@code password}: {@code {algorithm, memoryKiB, iterations, parallelism,
   * salt, hash}}.
   */
  public static ObjectNode of(String password) {
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    ObjectNode node = Json.object();
    node.put("algorithm", ALGORITHM);
    node.put("memoryKiB", MEMORY_KIB);
    node.put("iterations", ITERATIONS);
    node.put("parallelism", PARALLELISM);
    node.put("salt", B64.encodeToString(salt));
    node.put(
        "hash", B64.encodeToString(argon2(password, salt, MEMORY_KIB, ITERATIONS, PARALLELISM)));
    return node;
  }

  /** True when {@code password} matches the stored {@code hash} node; constant-time compare. */
  public static boolean matches(JsonNode stored, String password) {
    if (!ALGORITHM.equals(stored.path("algorithm").asText())) {
      return false;
    }
    byte[] salt = B64D.decode(stored.path("salt").asText(""));
    byte[] expected = B64D.decode(stored.path("hash").asText(""));
    byte[] actual =
        argon2(
            password,
            salt,
            stored.path("memoryKiB").asInt(MEMORY_KIB),
            stored.path("iterations").asInt(ITERATIONS),
            stored.path("parallelism").asInt(PARALLELISM));
    return MessageDigest.isEqual(actual, expected);
  }

  /** Does the work of {@link #matches} for nobody: what an unknown user name costs. */
  public static void burn(String password) {
    matches(DUMMY, password);
  }

  private static byte[] argon2(
      String password, byte[] salt, int memoryKib, int iterations, int parallelism) {
    Argon2Parameters params =
        new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withSalt(salt)
            .withMemoryAsKB(memoryKib)
            .withIterations(iterations)
            .withParallelism(parallelism)
            .build();
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(params);
    byte[] out = new byte[HASH_BYTES];
    generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
    return out;
  }
}
