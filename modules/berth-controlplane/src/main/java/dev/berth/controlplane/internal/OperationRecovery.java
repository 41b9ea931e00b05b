package dev.berth.controlplane.internal;

import dev.berth.api.ArmErrorCode;
import dev.berth.api.ArmException;
import dev.berth.api.ResourceId;
import dev.berth.controlplane.ResourceType;
import dev.berth.store.Query;
import dev.berth.store.ResourceStore;
import dev.berth.store.StoredResource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes what a Berth that died left in flight. On start it finds every operation still {@code
 * InProgress} that another process started and every resource such a process left {@code
 * InProgress} or {@code Deleting}, then, per resource, runs the idempotent work again (the
 * provider's settle, or the delete) and ends each operation on it with the outcome; what cannot be
 * resumed ends with a reason in ARM's error envelope. Clients polling {@code Azure-AsyncOperation}
 * see every operation end. Resources written since this process started belong to its own live
 * operations and are left alone. Thread-safe; meant to run once per process.
 */
public final class OperationRecovery {

  /** What was found, and a future that completes when every resumed operation has ended. */
  public record Summary(int operations, int resources, CompletableFuture<Void> finished) {}

  /** A resource a dead process was working on, and the orphaned operations on it. */
  private record Target(ResourceId id, List<StoredResource> operations) {}

  private static final Logger LOG = LoggerFactory.getLogger(OperationRecovery.class);

  private final ResourceStore store;
  private final ResourceTypes types;
  private final Operations operations;
  private final Writes writes;
  private final ResourceGroupHandler groups;
  private final Executor executor;

  public OperationRecovery(
      ResourceStore store,
      ResourceTypes types,
      Operations operations,
      Writes writes,
      ResourceGroupHandler groups,
      Executor executor) {
    this.store = store;
    this.types = types;
    this.operations = operations;
    this.writes = writes;
    this.groups = groups;
    this.executor = executor;
  }

  /** Scans the store, starts resuming on the executor, and returns what it found. */
  public Summary run() {
    Map<String, Target> targets = new LinkedHashMap<>();
    int orphans = 0;
    for (String namespace : Operations.namespaces(types)) {
      Query q = Query.descendants(ResourceId.root(), Operations.statusType(namespace)).limit(500);
      for (StoredResource op : (Iterable<StoredResource>) store.stream(q)::iterator) {
        if (!operations.orphaned(op)) {
          continue;
        }
        orphans++;
        Optional<ResourceId> target = ResourceId.tryParse(op.body().path("resourceId").asText());
        if (target.isEmpty()) {
          operations.end(
              op.id(), Operations.End.failed(interrupted("its resource id is unreadable")));
          continue;
        }
        targets
            .computeIfAbsent(target.get().key(), k -> new Target(target.get(), new ArrayList<>()))
            .operations()
            .add(op);
      }
    }
    int resources = 0;
    for (String type : interruptibleTypes()) {
      Query q = Query.descendants(ResourceId.root(), type).limit(500);
      for (StoredResource doc : (Iterable<StoredResource>) store.stream(q)::iterator) {
        if (leftInFlight(doc)) {
          resources++;
          targets.computeIfAbsent(doc.id().key(), k -> new Target(doc.id(), new ArrayList<>()));
        }
      }
    }
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (Target t : targets.values()) {
      all.add(
          CompletableFuture.runAsync(() -> resume(t), executor)
              .exceptionally(
                  e -> {
                    LOG.error("cannot recover the operations on {}", t.id(), e);
                    return null;
                  }));
    }
    if (!targets.isEmpty()) {
      LOG.info(
          "recovering {} operation(s) and {} resource(s) a previous Berth left in flight",
          orphans,
          resources);
    }
    return new Summary(
        orphans, resources, CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)));
  }

  /** Resource groups (long-running deletes) and every long-running provider type. */
  private List<String> interruptibleTypes() {
    List<String> out = new ArrayList<>();
    out.add(ResourceId.RESOURCE_GROUP_TYPE);
    types.all().stream().filter(ResourceType::longRunning).forEach(t -> out.add(t.type()));
    return out;
  }

  /** In a non-terminal state, and last written by a process before this one. */
  private boolean leftInFlight(StoredResource doc) {
    String state = Documents.provisioningState(doc.body());
    return (state.equals("InProgress") || state.equals("Deleting"))
        && doc.updatedAt().isBefore(operations.startedAt());
  }

  private void resume(Target t) {
    Optional<StoredResource> now = store.get(t.id());
    if (now.isEmpty() || !leftInFlight(now.get())) {
      // Its work finished before the crash (only the operation's ending was lost), or a write
      // of this process took the resource over.
      t.operations().forEach(op -> operations.end(op.id(), settled(op, now)));
      return;
    }
    boolean deleting = Documents.provisioningState(now.get().body()).equals("Deleting");
    Operations.Kind kind = deleting ? Operations.Kind.DELETE : Operations.Kind.WRITE;
    Operations.End end =
        work(t.id(), now.get(), deleting)
            .map(w -> Operations.outcome(t.id(), w))
            .orElseGet(
                () ->
                    Operations.End.failed(
                        interrupted("no provider serves the type '" + t.id().type() + "' now")));
    LOG.info(
        "resumed the {} of {}: {}", kind.name().toLowerCase(Locale.ROOT), t.id(), end.status());
    for (StoredResource op : t.operations()) {
      operations.end(
          op.id(),
          kindOf(op) == kind || !end.status().equals("Succeeded")
              ? end
              : Operations.End.canceled(supersededBy(kind, t.id())));
    }
  }

  /** The work a dead process was doing on the resource, if a provider still serves its type. */
  private Optional<Operations.Work> work(ResourceId id, StoredResource doc, boolean deleting) {
    if (id.type().equalsIgnoreCase(ResourceId.RESOURCE_GROUP_TYPE)) {
      return deleting ? Optional.of(() -> groups.deleteContents(id)) : Optional.empty();
    }
    return types
        .find(id.type())
        .map(
            t ->
                deleting
                    ? () -> writes.delete(t, id, doc.body().deepCopy())
                    : () -> writes.settle(t, id, true));
  }

  /** How an orphaned operation ends when there is nothing left to run for it. */
  private static Operations.End settled(StoredResource op, Optional<StoredResource> resource) {
    ResourceId target = ResourceId.parse(op.body().path("resourceId").asText());
    Operations.Kind kind = kindOf(op);
    if (resource.isEmpty()) {
      return kind == Operations.Kind.DELETE
          ? Operations.End.SUCCEEDED
          : Operations.End.canceled(
              ArmException.of(
                  ArmErrorCode.ResourceNotFound,
                  "The resource '" + target.value() + "' was deleted before the operation ended."));
    }
    if (kind == Operations.Kind.ACTION) {
      // An action's work (an image import) leaves no state on the resource to tell its outcome.
      return Operations.End.failed(
          interrupted("the action was interrupted by the restart; send the request again"));
    }
    if (kind == Operations.Kind.DELETE) {
      // A delete whose work failed leaves the resource Failed (Writes.delete); its reason went
      // with the crash. Any other state: a later write took the resource over.
      return "Failed".equals(Documents.provisioningState(resource.get().body()))
          ? Operations.End.failed(
              interrupted(
                  "the delete failed before the restart and the reason was lost;"
                      + " send the request again"))
          : Operations.End.canceled(supersededBy(Operations.Kind.WRITE, target));
    }
    return switch (Documents.provisioningState(resource.get().body())) {
      case "Succeeded" -> Operations.End.SUCCEEDED;
      case "Failed" ->
          Operations.End.failed(
              interrupted(
                  "provisioning failed before the restart and the reason was lost;"
                      + " send the request again"));
      default -> Operations.End.canceled(supersededBy(Operations.Kind.WRITE, target));
    };
  }

  private static Operations.Kind kindOf(StoredResource op) {
    String kind = op.body().path("kind").asText();
    if (Operations.Kind.DELETE.name().equals(kind)) {
      return Operations.Kind.DELETE;
    }
    return Operations.Kind.ACTION.name().equals(kind)
        ? Operations.Kind.ACTION
        : Operations.Kind.WRITE;
  }

  private static ArmException supersededBy(Operations.Kind kind, ResourceId id) {
    return ArmException.of(
        ArmErrorCode.Conflict,
        "The operation was interrupted by a restart of Berth, and "
            + (kind == Operations.Kind.DELETE ? "a delete" : "a later request")
            + " on '"
            + id.value()
            + "' took its place.");
  }

  private static ArmException interrupted(String why) {
    return ArmException.of(
        ArmErrorCode.InternalServerError,
        "The operation was interrupted by a restart of Berth and cannot be resumed: " + why + ".");
  }
}
