package dev.berth.controlplane.internal;

import dev.berth.api.ResourceId;
import dev.berth.store.Precondition;
import dev.berth.store.PreconditionFailedException;
import dev.berth.store.Query;
import dev.berth.store.ResourceStore;
import dev.berth.store.StoredResource;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Deletes the status documents of operations that ended longer ago than the retention, as ARM keeps
 * an operation's status only for a while (a poll after that answers 404 {@code NotFound}). One
 * sweep reads the operation documents a page at a time, so it never holds the store for long;
 * operations still {@code InProgress} are never pruned. Thread-safe.
 */
public final class OperationRetention {

  private final ResourceStore store;
  private final ResourceTypes types;

  public OperationRetention(ResourceStore store, ResourceTypes types) {
    this.store = store;
    this.types = types;
  }

  /**
   * Deletes the operations that ended before {@code now - retention}.
   *
   * @return how many were deleted
   */
  public int prune(Instant now, Duration retention) {
    Instant cutoff = now.minus(retention);
    int pruned = 0;
    for (String namespace : Operations.namespaces(types)) {
      Query q = Query.descendants(ResourceId.root(), Operations.statusType(namespace)).limit(500);
      // Pages continue after the last key read, so deleting what was read keeps paging right.
      for (StoredResource op : (Iterable<StoredResource>) store.stream(q)::iterator) {
        if (!endedBefore(op, cutoff)) {
          continue;
        }
        try {
          if (store.delete(op.id(), Precondition.ifMatch(op.etag())).isPresent()) {
            pruned++;
          }
        } catch (PreconditionFailedException e) {
          // changed since it was read: the next sweep looks again
        }
      }
    }
    return pruned;
  }

  private static boolean endedBefore(StoredResource op, Instant cutoff) {
    String end = op.body().path("endTime").asText("");
    if (end.isEmpty() || "InProgress".equals(op.body().path("status").asText())) {
      return false;
    }
    try {
      return Instant.parse(end).isBefore(cutoff);
    } catch (DateTimeParseException e) {
      return op.updatedAt().isBefore(cutoff);
    }
  }
}
