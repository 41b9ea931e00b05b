package dev.berth.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ResourceId;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Durable desired and observed state: JSON documents keyed by {@link ResourceId}, each with an etag
 * that changes on every write and a generation that counts the writes. Ids are compared
 * case-insensitively; the casing of the latest write is what reads return.
 *
 * <p>Implementations are drivers chosen by name through {@link ResourceStores}: {@code sqlite},
 * {@code postgresql}, and {@code memory} for tests (docs/store.md); each passes the one conformance
 * suite {@code ResourceStoreConformance}. All methods are thread-safe; a call that returns has made
 * its write durable.
 */
public interface ResourceStore extends AutoCloseable {

  /** The document stored under {@code id}, if any. */
  Optional<StoredResource> get(ResourceId id);

  /**
   * Creates or replaces the document under {@code id}, if {@code precondition} holds.
   *
   * @return the stored document, with its new etag and generation
   * @throws PreconditionFailedException when the precondition does not hold
   */
  StoredResource put(ResourceId id, ObjectNode body, Precondition precondition);

  /**
   * Deletes the document under {@code id}, if {@code precondition} holds.
   *
   * @return the deleted document, or empty when there was none
   * @throws PreconditionFailedException when the precondition does not hold
   */
  Optional<StoredResource> delete(ResourceId id, Precondition precondition);

  /**
   * Deletes {@code id} and every document beneath it: nested resources and extension resources such
   * as role assignments on it. Deleting a resource group this way deletes what is in it.
   *
   * @return how many documents were deleted
   */
  int deleteTree(ResourceId id);

  /** One page of the documents a query selects, ordered by {@link ResourceId#key()}. */
  Page list(Query query);

  /**
   * Every document a query selects, page after page, fetched as the stream is consumed: a {@code
   * findFirst} or {@code anyMatch} stops reading at the first hit.
   */
  default Stream<StoredResource> stream(Query query) {
    return Stream.iterate(
            list(query),
            Objects::nonNull,
            page -> page.continuation().map(after -> list(query.after(after))).orElse(null))
        .flatMap(page -> page.items().stream());
  }

  /**
   * Runs {@code work} in one transaction: every read sees the writes before it, and either all of
   * its writes happen or none do (an exception rolls back). Nested calls join the outer one; a
   * nested call that throws undoes only its own writes, and the outer one decides the rest. Other
   * threads wait for the transaction, so {@code work} must not wait for them.
   */
  <T> T inTransaction(Function<ResourceStore, T> work);

  /**
   * Calls {@code listener} with the id of every document written from now on (put, delete; for
   * {@link #deleteTree} the root of the tree). It is a wake-up call for level-triggered readers,
   * not a log: it runs on the writing thread, possibly before an enclosing transaction commits (a
   * read waits for that commit), and a rolled-back write may still be announced. The listener must
   * return quickly and must not write to the store.
   *
   * @return closing it removes the listener
   */
  AutoCloseable watch(Consumer<ResourceId> listener);

  @Override
  void close();
}
