package dev.berth.store.memory;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ResourceId;
import dev.berth.store.Page;
import dev.berth.store.Precondition;
import dev.berth.store.PreconditionFailedException;
import dev.berth.store.Query;
import dev.berth.store.ResourceStore;
import dev.berth.store.StoredResource;
import dev.berth.store.internal.ChangeListeners;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A {@link ResourceStore} held in memory, for tests of the modules above the store. Nothing
 * survives the process. Thread-safe: one lock serialises every call, so a transaction is simply a
 * call holding the lock (rolled back from a snapshot on failure).
 */
public final class InMemoryResourceStore implements ResourceStore {

  private final ChangeListeners listeners = new ChangeListeners();

  private final ReentrantLock lock = new ReentrantLock();
  private final Clock clock;
  private TreeMap<String, StoredResource> docs = new TreeMap<>();

  public InMemoryResourceStore() {
    this(Clock.systemUTC());
  }

  public InMemoryResourceStore(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Optional<StoredResource> get(ResourceId id) {
    lock.lock();
    try {
      return Optional.ofNullable(docs.get(id.key())).map(InMemoryResourceStore::copy);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public StoredResource put(ResourceId id, ObjectNode body, Precondition precondition) {
    lock.lock();
    try {
      StoredResource current = docs.get(id.key());
      if (!precondition.test(current)) {
        throw new PreconditionFailedException(id, precondition, copyOrNull(current));
      }
      Instant now = clock.instant();
      StoredResource next =
          new StoredResource(
              id,
              body.deepCopy(),
              UUID.randomUUID().toString(),
              current == null ? 1 : current.generation() + 1,
              current == null ? now : current.createdAt(),
              now);
      docs.put(id.key(), next);
      listeners.changed(id);
      return copy(next);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Optional<StoredResource> delete(ResourceId id, Precondition precondition) {
    lock.lock();
    try {
      StoredResource current = docs.get(id.key());
      if (!precondition.test(current)) {
        throw new PreconditionFailedException(id, precondition, copyOrNull(current));
      }
      Optional<StoredResource> removed =
          Optional.ofNullable(docs.remove(id.key())).map(InMemoryResourceStore::copy);
      removed.ifPresent(gone -> listeners.changed(id));
      return removed;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int deleteTree(ResourceId id) {
    lock.lock();
    try {
      List<String> doomed = new ArrayList<>();
      for (Map.Entry<String, StoredResource> e : docs.entrySet()) {
        if (id.contains(e.getValue().id())) {
          doomed.add(e.getKey());
        }
      }
      doomed.forEach(docs::remove);
      listeners.changed(id);
      return doomed.size();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Page list(Query query) {
    lock.lock();
    try {
      String type = query.type().toLowerCase(Locale.ROOT);
      List<StoredResource> items = new ArrayList<>();
      var tail = query.after().isPresent() ? docs.tailMap(query.after().get(), false) : docs;
      for (StoredResource doc : tail.values()) {
        if (!doc.type().toLowerCase(Locale.ROOT).equals(type) || !selected(query, doc.id())) {
          continue;
        }
        if (items.size() == query.limit()) {
          return new Page(items, Optional.of(items.get(items.size() - 1).id().key()));
        }
        items.add(copy(doc));
      }
      return new Page(items, Optional.empty());
    } finally {
      lock.unlock();
    }
  }

  private static boolean selected(Query query, ResourceId id) {
    return switch (query.depth()) {
      case CHILDREN -> id.parent().map(query.scope()::equals).orElse(false);
      case DESCENDANTS -> !id.equals(query.scope()) && query.scope().contains(id);
    };
  }

  @Override
  public AutoCloseable watch(Consumer<ResourceId> listener) {
    return listeners.add(listener);
  }

  @Override
  public <T> T inTransaction(Function<ResourceStore, T> work) {
    lock.lock();
    try {
      TreeMap<String, StoredResource> snapshot = new TreeMap<>(docs);
      try {
        return work.apply(this);
      } catch (RuntimeException | Error e) {
        docs = snapshot;
        throw e;
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {}

  // A rolled-back transaction restores these very objects, so nothing handed out may share them.
  private static StoredResource copyOrNull(StoredResource doc) {
    return doc == null ? null : copy(doc);
  }

  private static StoredResource copy(StoredResource doc) {
    return new StoredResource(
        doc.id(),
        doc.body().deepCopy(),
        doc.etag(),
        doc.generation(),
        doc.createdAt(),
        doc.updatedAt());
  }
}
