package dev.berth.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.api.ResourceId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The one conformance suite of {@link ResourceStore}: every driver's test extends this class in a
 * line and implements {@link #newStore}. This part proves transactions and concurrency; the parts
 * it inherits prove writes ({@link ResourceStoreWriteConformance}) and lists ({@link
 * ResourceStoreQueryConformance}).
 */
public abstract class ResourceStoreConformance extends ResourceStoreQueryConformance {

  private static final ResourceId A = app("rg", "a");
  private static final ResourceId B = app("rg", "b");

  @Test
  void watchersHearOfEveryWriteUntilTheyStop() throws Exception {
    List<ResourceId> heard = new CopyOnWriteArrayList<>();
    AutoCloseable watch = store.watch(heard::add);

    store.put(A, body("v", 1), Precondition.ABSENT);
    store.delete(A, Precondition.NONE);
    store.delete(A, Precondition.NONE); // nothing there: nothing to hear
    store.put(B, body("v", 1), Precondition.ABSENT);
    store.deleteTree(B.parent().orElseThrow());
    watch.close();
    store.put(A, body("v", 2), Precondition.NONE);

    assertThat(heard).containsExactly(A, A, B, B.parent().orElseThrow());
  }

  @Test
  void aTransactionSeesItsOwnWritesAndCommitsThemAll() {
    StoredResource seen =
        store.inTransaction(
            tx -> {
              tx.put(A, body("v", 1), Precondition.ABSENT);
              tx.put(B, body("v", 1), Precondition.ABSENT);
              return tx.get(A).orElseThrow();
            });

    assertThat(store.get(A)).contains(seen);
    assertThat(store.get(B)).isPresent();
  }

  @Test
  void anExceptionRollsBackEveryWriteOfTheTransaction() {
    StoredResource before = store.put(B, body("v", 1), Precondition.NONE);
    IllegalStateException boom = new IllegalStateException("boom");

    assertThatThrownBy(
            () ->
                store.inTransaction(
                    tx -> {
                      tx.put(A, body("v", 1), Precondition.NONE);
                      tx.put(B, body("v", 2), Precondition.NONE);
                      tx.deleteTree(RG);
                      throw boom;
                    }))
        .isSameAs(boom);

    assertThat(store.get(A)).isEmpty();
    assertThat(store.get(B)).contains(before);
  }

  @Test
  void aFailedPreconditionInsideATransactionRollsItBack() {
    StoredResource b = store.put(B, body("v", 1), Precondition.NONE);

    assertThatThrownBy(
            () ->
                store.inTransaction(
                    tx -> {
                      tx.put(A, body("v", 1), Precondition.NONE);
                      return tx.put(B, body("v", 2), Precondition.ifMatch("stale"));
                    }))
        .isInstanceOf(PreconditionFailedException.class);

    assertThat(store.get(A)).isEmpty();
    assertThat(store.get(B)).contains(b);
  }

  @Test
  void nestedTransactionsJoinTheOuterOne() {
    assertThatThrownBy(
            () ->
                store.inTransaction(
                    outer -> {
                      outer.put(A, body("v", 1), Precondition.NONE);
                      outer.inTransaction(
                          inner -> {
                            assertThat(inner.get(A)).isPresent();
                            return inner.put(B, body("v", 1), Precondition.NONE);
                          });
                      throw new IllegalStateException("outer fails after inner returned");
                    }))
        .hasMessageContaining("outer fails");

    assertThat(store.get(A)).isEmpty();
    assertThat(store.get(B)).as("the inner write is undone with the outer").isEmpty();
  }

  @Test
  void aNestedCallThatFailsUndoesOnlyItsOwnWrites() {
    store.inTransaction(
        outer -> {
          outer.put(A, body("v", 1), Precondition.NONE);
          try {
            outer.inTransaction(
                inner -> {
                  inner.put(B, body("v", 1), Precondition.NONE);
                  throw new IllegalStateException("inner fails");
                });
          } catch (IllegalStateException expected) {
            // the outer transaction carries on
          }
          return outer.put(A, body("v", 2), Precondition.EXISTS);
        });

    assertSameJson(store.get(A).get().body(), body("v", 2));
    assertThat(store.get(B)).isEmpty();
  }

  @Test
  void concurrentIfMatchWritersLoseNoIncrement() throws Exception {
    store.put(A, body("count", 0), Precondition.ABSENT);
    runConcurrently(
        16,
        () -> {
          for (int i = 0; i < 50; i++) {
            while (true) {
              StoredResource current = store.get(A).orElseThrow();
              long next = current.body().get("count").asLong() + 1;
              try {
                store.put(A, body("count", next), Precondition.ifMatch(current.etag()));
                break;
              } catch (PreconditionFailedException lostTheRace) {
                // somebody else wrote first: read again and retry
              }
            }
          }
          return null;
        });

    StoredResource end = store.get(A).orElseThrow();
    assertThat(end.body().get("count").asLong()).isEqualTo(16 * 50);
    assertThat(end.generation()).isEqualTo(16 * 50 + 1);
  }

  @Test
  void concurrentTransactionsAreSerialised() throws Exception {
    store.put(A, body("count", 0), Precondition.ABSENT);
    runConcurrently(
        8,
        () -> {
          for (int i = 0; i < 25; i++) {
            store.inTransaction(
                tx -> {
                  long count = tx.get(A).orElseThrow().body().get("count").asLong();
                  return tx.put(A, body("count", count + 1), Precondition.NONE);
                });
          }
          return null;
        });

    assertThat(store.get(A).orElseThrow().body().get("count").asLong()).isEqualTo(8 * 25);
  }

  private static void runConcurrently(int threads, Callable<Void> task) throws Exception {
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Void>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(executor.submit(task));
      }
      for (Future<Void> future : futures) {
        future.get(); // rethrows what a worker threw
      }
    }
  }
}
