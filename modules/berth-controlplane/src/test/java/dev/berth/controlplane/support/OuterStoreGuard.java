package dev.berth.controlplane.support;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ResourceId;
import dev.berth.store.Page;
import dev.berth.store.Precondition;
import dev.berth.store.Query;
import dev.berth.store.ResourceStore;
import dev.berth.store.StoredResource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A store over another that refuses every call made on it while one of its own transactions runs on
 * the calling thread: the transaction's work gets the inner store's transaction, and whoever reads
 * or writes through this outer object instead would, on a store with isolated transactions, not see
 * the transaction's writes, write beside it (kept when it rolls back) or wait for it. Each refusal
 * is recorded, naming the caller, and thrown. Thread-safe.
 */
public final class OuterStoreGuard implements ResourceStore {

  private final ResourceStore inner;
  private final ThreadLocal<Integer> depth = ThreadLocal.withInitial(() -> 0);
  private final List<String> refused = new CopyOnWriteArrayList<>();

  public OuterStoreGuard(ResourceStore inner) {
    this.inner = inner;
  }

  /** Each call refused so far: the store method and the first provider frame that made it. */
  public List<String> refused() {
    return List.copyOf(refused);
  }

  private void outside(String call) {
    if (depth.get() > 0) {
      String caller =
          StackWalker.getInstance()
              .walk(
                  frames ->
                      frames
                          .map(f -> f.getClassName() + "." + f.getMethodName())
                          .filter(f -> f.startsWith("dev.berth.controlplane.providers"))
                          .findFirst()
                          .orElse("(no provider frame)"));
      refused.add(call + " by " + caller);
      throw new IllegalStateException(
          "the outer store was called (" + call + ") inside a transaction, by " + caller);
    }
  }

  @Override
  public Optional<StoredResource> get(ResourceId id) {
    outside("get " + id);
    return inner.get(id);
  }

  @Override
  public StoredResource put(ResourceId id, ObjectNode body, Precondition precondition) {
    outside("put " + id);
    return inner.put(id, body, precondition);
  }

  @Override
  public Optional<StoredResource> delete(ResourceId id, Precondition precondition) {
    outside("delete " + id);
    return inner.delete(id, precondition);
  }

  @Override
  public int deleteTree(ResourceId id) {
    outside("deleteTree " + id);
    return inner.deleteTree(id);
  }

  @Override
  public Page list(Query query) {
    outside("list " + query.type());
    return inner.list(query);
  }

  @Override
  public Stream<StoredResource> stream(Query query) {
    outside("stream " + query.type());
    return inner.stream(query);
  }

  @Override
  public <T> T inTransaction(Function<ResourceStore, T> work) {
    outside("inTransaction");
    return inner.inTransaction(
        tx -> {
          depth.set(depth.get() + 1);
          try {
            return work.apply(tx);
          } finally {
            depth.set(depth.get() - 1);
          }
        });
  }

  @Override
  public AutoCloseable watch(Consumer<ResourceId> listener) {
    return inner.watch(listener);
  }

  @Override
  public void close() {
    inner.close();
  }
}
