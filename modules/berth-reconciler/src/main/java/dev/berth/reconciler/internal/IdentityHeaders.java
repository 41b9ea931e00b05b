package dev.berth.reconciler.internal;

import dev.berth.api.ResourceId;
import dev.berth.identity.ReplicaIdentityTable;
import dev.berth.runtime.ReplicaStatus;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconciler's side of the {@link ReplicaIdentityTable}: a fresh {@code IDENTITY_HEADER} for
 * every start of a replica, in the table before the process runs (a replica may ask for a token as
 * its first act; the runtime brings its address before that too); replicas found running after a
 * restart registered from their labels; a stopped replica's header removed. Only the header's
 * fingerprint is kept on disk. Thread-safe.
 */
final class IdentityHeaders {

  /**
   * The SHA-256 of the replica's {@code IDENTITY_HEADER} ({@link
   * ReplicaIdentityTable#fingerprint}): enough to recognise the header after a restart, nothing to
   * use it with.
   */
  static final String FINGERPRINT_LABEL = "berth.identity-header-sha256";

  /** The header itself, as Berth labelled replicas before it kept only the fingerprint. */
  static final String LEGACY_HEADER_LABEL = "berth.identity-header";

  private static final Logger log = LoggerFactory.getLogger(IdentityHeaders.class);

  private final ReplicaIdentityTable table;

  IdentityHeaders(ReplicaIdentityTable table) {
    this.table = table;
  }

  /** A new header for {@code replica} of {@code app}, in the table, its address still to come. */
  String issue(String replica, ResourceId app) {
    String header = ReplicaIdentityTable.newSecret();
    table.put(replica, ReplicaIdentityTable.fingerprint(header), app, Optional.empty());
    return header;
  }

  /** A replica found running: its header's fingerprint and app from its labels, its address. */
  void registerRunning(ReplicaStatus replica) {
    Optional<ResourceId> app = ResourceId.tryParse(replica.labels().get(ReplicaSpecs.APP_LABEL));
    Optional<String> fingerprint =
        Optional.ofNullable(replica.labels().get(FINGERPRINT_LABEL))
            .or(
                () ->
                    Optional.ofNullable(replica.labels().get(LEGACY_HEADER_LABEL))
                        .map(ReplicaIdentityTable::fingerprint));
    if (app.isEmpty() || fingerprint.isEmpty() || replica.state() != ReplicaStatus.State.RUNNING) {
      return;
    }
    try {
      table.put(replica.name(), fingerprint.get(), app.get(), Optional.of(replica.address()));
    } catch (IllegalArgumentException e) {
      log.warn("replica {} cannot use the identity endpoint: {}", replica.name(), e.getMessage());
    }
  }

  /** The replica stopped (or never started): its header stops working. */
  void remove(String replica) {
    table.remove(replica);
  }
}
