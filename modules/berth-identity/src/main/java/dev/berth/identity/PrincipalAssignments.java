package dev.berth.identity;

import dev.berth.api.ResourceId;
import dev.berth.store.Precondition;
import dev.berth.store.Query;
import dev.berth.store.ResourceStore;
import dev.berth.store.StoredResource;
import java.util.List;

/**
 * The role assignments of one principal at every scope, and their removal when the principal is
 * deleted (a service principal, a user-assigned identity, an app's system identity). Azure leaves
 * such assignments behind as "Identity not found"; Berth deletes them, so nothing that still reads
 * assignments by object id (the registry's token service, a principal re-created with a known id)
 * can ever be granted by them again, and lists stay clean. Thread-safe (the store is).
 */
public final class PrincipalAssignments {

  private PrincipalAssignments() {}

  /** Every assignment whose {@code principalId} is {@code principalId}, at any scope. */
  public static List<StoredResource> of(ResourceStore store, String principalId) {
    // One scan of every assignment: Berth holds hundreds at most; no index on principalId exists.
    return store.stream(Query.descendants(ResourceId.root(), RoleAssignmentDocuments.TYPE))
        .filter(
            d ->
                principalId.equalsIgnoreCase(
                    d.body().path("properties").path("principalId").asText().strip()))
        .toList();
  }

  /**
   * Deletes every assignment of {@code principalId}, in one transaction (joining the caller's when
   * there is one).
   *
   * @return how many were deleted
   */
  public static int deleteAll(ResourceStore store, String principalId) {
    if (principalId == null || principalId.isBlank()) {
      return 0;
    }
    return store.inTransaction(
        tx -> {
          List<StoredResource> assignments = of(tx, principalId);
          assignments.forEach(a -> tx.delete(a.id(), Precondition.NONE));
          return assignments.size();
        });
  }
}
