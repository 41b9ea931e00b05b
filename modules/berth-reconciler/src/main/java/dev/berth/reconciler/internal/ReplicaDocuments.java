package dev.berth.reconciler.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ResourceId;
import dev.berth.api.app.AppTypes;
import dev.berth.runtime.ReplicaStatus;
import dev.berth.store.Precondition;
import dev.berth.store.Query;
import dev.berth.store.ResourceStore;
import dev.berth.store.StoredResource;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Writes the replica documents of a revision ({@code …/revisions/{rev}/replicas/{name}}, shape in
 * docs/provider-app.md), one a slot, which only the reconciler writes and ARM serves read-only; a
 * document that did not change (its {@code createdTime} aside) is not written again, and those of
 * slots that are gone are deleted. Thread-safe.
 */
final class ReplicaDocuments {

  private final ResourceStore store;
  private final Clock clock;

  ReplicaDocuments(ResourceStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /**
   * @param running the replicas the runtime runs for the revision
   * @param container the name of the replica's one container
   */
  void write(
      ResourceId revision, RevisionState state, List<ReplicaStatus> running, String container) {
    Map<String, ReplicaStatus> byName =
        running.stream().collect(Collectors.toMap(ReplicaStatus::name, r -> r, (a, b) -> a));
    for (RevisionState.Slot slot : state.slots.values()) {
      ResourceId id = revision.child("replicas", slot.name);
      ObjectNode doc = document(id, slot, Optional.ofNullable(byName.get(slot.name)), container);
      Optional<StoredResource> current = store.get(id);
      if (current.isEmpty() || !same(current.get().body(), doc)) {
        store.put(id, doc, Precondition.NONE);
      }
    }
    store.stream(Query.children(revision, AppTypes.REPLICA))
        .filter(d -> !state.slots.containsKey(d.id().name()))
        .toList()
        .forEach(d -> store.delete(d.id(), Precondition.NONE));
  }

  private ObjectNode document(
      ResourceId id, RevisionState.Slot slot, Optional<ReplicaStatus> r, String container) {
    boolean runs = r.isPresent();
    String details = runs ? "" : slotDetails(slot);
    ObjectNode doc = ObservedStateWrites.JSON.createObjectNode();
    doc.put("id", id.value());
    doc.put("name", slot.name);
    doc.put("type", AppTypes.REPLICA);
    ObjectNode p = doc.putObject("properties");
    p.put("createdTime", (slot.startedAt == null ? clock.instant() : slot.startedAt).toString());
    p.put("runningState", runs ? "Running" : "NotRunning");
    p.put("runningStateDetails", details);
    r.ifPresent(replica -> p.put("address", replica.address()));
    ObjectNode c = p.putArray("containers").addObject();
    c.put("name", container);
    c.put("containerId", "runc://" + slot.name);
    c.put("ready", slot.ready);
    c.put("started", runs);
    c.put("restartCount", slot.restarts);
    c.put("runningState", runs ? "Running" : "Waiting");
    c.put("runningStateDetails", details);
    return doc;
  }

  private static boolean same(JsonNode stored, ObjectNode next) {
    ObjectNode a = stored.deepCopy();
    ObjectNode b = next.deepCopy();
    ((ObjectNode) a.path("properties")).remove("createdTime");
    ((ObjectNode) b.path("properties")).remove("createdTime");
    return a.equals(b);
  }

  private static String slotDetails(RevisionState.Slot slot) {
    return slot.lastExit == null ? "Waiting to start" : "Back-off: " + slot.lastExit;
  }
}
