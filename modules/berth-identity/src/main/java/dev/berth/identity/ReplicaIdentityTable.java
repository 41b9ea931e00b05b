package dev.berth.identity;

import dev.berth.identity.internal.Secrets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-memory {@link ReplicaIdentities}: replica name → its {@code IDENTITY_HEADER} secret and
 * bound identities. Secrets are looked up by their SHA-256 digest and then compared with {@link
 * MessageDigest#isEqual}, so a caller's timing learns nothing about a secret's prefix. The
 * reconciler {@link #put}s a replica before starting it, again when the app's identities change,
 * and {@link #remove}s it when the replica stops. Thread-safe.
 */
public final class ReplicaIdentityTable implements ReplicaIdentities {

  private record Entry(String replica, byte[] digest, List<BoundIdentity> identities) {}

  private static final byte[] NO_SALT = new byte[0];

  private final Map<String, Entry> byReplica = new ConcurrentHashMap<>();
  private final Map<String, Entry> byDigest = new ConcurrentHashMap<>();

  /** A fresh secret for a replica's {@code IDENTITY_HEADER}: 256 random bits, base64url. */
  public static String newSecret() {
    return Secrets.newSecret();
  }

  /**
   * Binds {@code secret} to {@code replica} and its identities, replacing what the replica had (an
   * older secret stops working). Call again with the same secret to change the identities.
   */
  public synchronized void put(String replica, String secret, List<BoundIdentity> identities) {
    Objects.requireNonNull(replica, "replica");
    if (secret == null || secret.length() < 16) {
      throw new IllegalArgumentException(
          "an IDENTITY_HEADER secret must have at least 16 characters; use newSecret()");
    }
    byte[] digest = Secrets.hash(NO_SALT, secret);
    String key = HexFormat.of().formatHex(digest);
    Entry holder = byDigest.get(key);
    if (holder != null && !holder.replica().equals(replica)) {
      throw new IllegalArgumentException(
          "replica " + holder.replica() + " already holds this secret; give each its own");
    }
    remove(replica);
    Entry entry = new Entry(replica, digest, List.copyOf(identities));
    byReplica.put(replica, entry);
    byDigest.put(key, entry);
  }

  /** Forgets a stopped replica; its secret stops working at once. */
  public synchronized void remove(String replica) {
    Entry old = byReplica.remove(replica);
    if (old != null) {
      byDigest.remove(HexFormat.of().formatHex(old.digest()));
    }
  }

  @Override
  public Optional<List<BoundIdentity>> forSecret(String identityHeader) {
    if (identityHeader == null) {
      return Optional.empty();
    }
    byte[] digest = Secrets.hash(NO_SALT, identityHeader);
    Entry entry = byDigest.get(HexFormat.of().formatHex(digest));
    if (entry == null || !MessageDigest.isEqual(entry.digest(), digest)) {
      return Optional.empty();
    }
    return Optional.of(entry.identities());
  }
}
