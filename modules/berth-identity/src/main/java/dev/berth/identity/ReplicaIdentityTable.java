package dev.berth.identity;

import dev.berth.api.ResourceId;
import dev.berth.api.secrets.SecretRecipe;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which replica holds which {@code IDENTITY_HEADER}, at which address, for which app: the one
 * question {@link ManagedIdentityEndpoint} asks on every request, answered with the managed
 * identities of that replica's app as the store has them now. The reconciler {@link #put}s a
 * replica before it starts it, the runtime {@link #bindAddress binds} its address before its
 * process runs, and the reconciler {@link #remove}s it when it stops.
 *
 * <p>A header opens nothing on its own: the request must also come from the replica's own address,
 * so a header read from elsewhere (a config file, a log, another replica's environment) is refused
 * like a wrong one. The table keeps only each header's SHA-256 ({@link #fingerprint}), looks
 * entries up by it and confirms with {@link MessageDigest#isEqual}, so neither its contents nor a
 * caller's timing reveal a header. Thread-safe.
 */
public final class ReplicaIdentityTable {

  private static final Logger LOG = LoggerFactory.getLogger(ReplicaIdentityTable.class);
  private static final Pattern FINGERPRINT = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern IP_LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");

  /** One replica: its header's fingerprint, its app, and its address once the runtime gave one. */
  private record Entry(
      String replica, String fingerprint, ResourceId app, Optional<InetAddress> address) {}

  private final AppIdentities apps;
  private final Map<String, Entry> byReplica = new HashMap<>();
  private final Map<String, Entry> byFingerprint = new ConcurrentHashMap<>();

  /** A table whose replicas' identities are their apps' identities in {@code apps}. */
  public ReplicaIdentityTable(AppIdentities apps) {
    this.apps = Objects.requireNonNull(apps);
  }

  /** A fresh secret for a replica's {@code IDENTITY_HEADER}: 256 random bits, base64url. */
  public static String newSecret() {
    return SecretRecipe.newSecret();
  }

  /**
   * The header's SHA-256 in lower-case hex: what may be kept of it (in the table, in a replica's
   * labels on disk) without revealing it.
   */
  public static String fingerprint(String secret) {
    return HexFormat.of().formatHex(sha256(secret));
  }

  /**
   * Binds the header with {@code fingerprint} to {@code replica} of {@code app}, replacing what the
   * replica had (its older header stops working).
   *
   * @param address the replica's IP address when it is known (an adopted replica); empty for one
   *     about to start, whose address {@link #bindAddress} brings
   * @throws IllegalArgumentException when another replica holds the same header, or the fingerprint
   *     or address is not one
   */
  public synchronized void put(
      String replica, String fingerprint, ResourceId app, Optional<String> address) {
    Objects.requireNonNull(replica, "replica");
    Objects.requireNonNull(app, "app");
    if (fingerprint == null || !FINGERPRINT.matcher(fingerprint).matches()) {
      throw new IllegalArgumentException("not a header fingerprint: use fingerprint(secret)");
    }
    Entry holder = byFingerprint.get(fingerprint);
    if (holder != null && !holder.replica().equals(replica)) {
      throw new IllegalArgumentException(
          "replica " + holder.replica() + " already holds this header; give each its own");
    }
    remove(replica);
    Entry entry = new Entry(replica, fingerprint, app, address.map(ReplicaIdentityTable::ip));
    byReplica.put(replica, entry);
    byFingerprint.put(fingerprint, entry);
  }

  /** The runtime gave {@code replica} its address; a replica the table does not hold is ignored. */
  public synchronized void bindAddress(String replica, String address) {
    Entry old = byReplica.get(replica);
    if (old == null) {
      return;
    }
    Entry entry = new Entry(replica, old.fingerprint(), old.app(), Optional.of(ip(address)));
    byReplica.put(replica, entry);
    byFingerprint.put(entry.fingerprint(), entry);
  }

  /** Forgets a stopped replica; its header stops working at once. */
  public synchronized void remove(String replica) {
    Entry old = byReplica.remove(replica);
    if (old != null) {
      byFingerprint.remove(old.fingerprint());
    }
  }

  /**
   * The identities the request may use: those of the app whose replica holds {@code header}
   * (possibly none), when the request comes from that replica's own address; empty otherwise — no
   * replica holds the header, or it came from anywhere else.
   */
  public Optional<List<BoundIdentity>> forRequest(String header, InetAddress from) {
    if (header == null || from == null) {
      return Optional.empty();
    }
    byte[] digest = sha256(header);
    Entry entry = byFingerprint.get(HexFormat.of().formatHex(digest));
    if (entry == null
        || !MessageDigest.isEqual(HexFormat.of().parseHex(entry.fingerprint()), digest)) {
      return Optional.empty();
    }
    if (entry.address().isEmpty() || !entry.address().get().equals(from)) {
      // A real header from the wrong place: it leaked. Say so without saying the header.
      LOG.warn(
          "refused the IDENTITY_HEADER of replica {} sent from {}, not from the replica's address"
              + " {}",
          entry.replica(),
          from.getHostAddress(),
          entry.address().map(InetAddress::getHostAddress).orElse("(not yet assigned)"));
      return Optional.empty();
    }
    return Optional.of(bound(apps.forApp(entry.app())));
  }

  private static List<BoundIdentity> bound(List<AppIdentities.AppIdentity> identities) {
    return identities.stream()
        .map(
            i ->
                i.systemAssigned()
                    ? BoundIdentity.system(i.principal())
                    : BoundIdentity.userAssigned(i.principal(), i.resourceId().value()))
        .toList();
  }

  /** An IP literal as an address; never a name lookup. */
  private static InetAddress ip(String literal) {
    if (literal == null || !IP_LITERAL.matcher(literal).matches()) {
      throw new IllegalArgumentException("not an IP address: " + literal);
    }
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address: " + literal, e);
    }
  }

  private static byte[] sha256(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
