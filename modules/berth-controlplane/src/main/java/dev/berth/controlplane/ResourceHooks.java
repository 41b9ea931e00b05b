package dev.berth.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Principal;
import dev.berth.api.ResourceId;
import dev.berth.store.ResourceStore;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * What a resource provider adds to the generic ARM machinery: checks and defaults before a write,
 * and the work that follows it. {@link #prepare} runs inside the write's store transaction and is
 * handed it; the other hooks run outside any transaction and use the store the provider was built
 * with. Implementations must be thread-safe; hooks of long-running types run on the ARM layer's
 * executor.
 */
public interface ResourceHooks {

  /** Hooks that accept every document and do nothing. */
  ResourceHooks NONE = new ResourceHooks() {};

  /**
   * Checks and completes the document about to be stored: defaults, computed read-only properties
   * (a login server, a principal id), cross-field rules. Runs synchronously inside the request, in
   * the write's store transaction; throw an {@link dev.berth.api.ArmException} to refuse the
   * request (and roll back what this hook wrote).
   *
   * @param tx the write's transaction: read and write every document through it, never through a
   *     store the provider was built with (on a store with isolated transactions that one would not
   *     see the write's documents, and would keep what a refused write made)
   * @param desired the normalised desired document (envelope without id/name/type/systemData); may
   *     be changed in place and returned
   * @param current the stored document when this is an update
   * @return the document to store
   */
  default ObjectNode prepare(
      ResourceStore tx, ResourceId id, ObjectNode desired, Optional<ObjectNode> current) {
    return desired;
  }

  /**
   * The other resources a document of this type links, besides its user-assigned identities (the
   * ARM layer finds those in every type itself): a container app's environment, a token's scope
   * map. On every PUT and PATCH the ARM layer checks, with the caller's role assignments, each link
   * the write adds to the stored document, and refuses the write with 403 {@code
   * LinkedAuthorizationFailed} when one is not allowed. Called on the desired document before
   * {@link #prepare} (which may still be malformed: be lenient, skip what is missing or of the
   * wrong type), on the prepared document and on the stored one, inside the write's transaction: it
   * reads the document only, never the store.
   */
  default List<LinkedResource> links(ResourceId id, JsonNode doc) {
    return List.of();
  }

  /**
   * The resources the body of {@code POST {id}/{action}} links, with what the caller must hold on
   * each (ACR's {@code importImage} from {@code source.resourceId}: pulling from that registry).
   * The ARM layer checks them with the caller's role assignments before {@link #action} or {@link
   * #longRunningAction} runs, and refuses with 403 {@code LinkedAuthorizationFailed}; a linked
   * value that is not a resource id is refused too. Lenient: reads the body only.
   */
  default List<LinkedResource> actionLinks(String action, ResourceId id, JsonNode body) {
    return List.of();
  }

  /**
   * Brings the world in line with the stored document. For long-running types this runs on the
   * executor while clients poll; throwing marks the operation and {@code provisioningState} Failed
   * (an {@link dev.berth.api.ArmException} keeps its code and message).
   *
   * @return properties to merge into the stored document's {@code properties} when done (computed
   *     results), or empty
   */
  default Optional<ObjectNode> onCreateOrUpdate(ResourceId id, ObjectNode stored) throws Exception {
    return Optional.empty();
  }

  /**
   * Refuses a DELETE before it starts: runs synchronously inside the request, so an {@link
   * dev.berth.api.ArmException} thrown here is the reply (a long-running delete would otherwise
   * only fail its operation). It runs in the transaction that marks the resource {@code Deleting},
   * and reads through {@code tx}: a write that would make the delete wrong (a container app put
   * into an environment being deleted) comes wholly before it, and is seen, or wholly after.
   */
  default void checkDelete(ResourceStore tx, ResourceId id, ObjectNode stored) {}

  /** Releases what the resource held, before its documents are deleted. */
  default void onDelete(ResourceId id, ObjectNode stored) throws Exception {}

  /**
   * Runs in a long-running delete once the documents are gone, before the operation ends: waits for
   * what ran the resource to stop (a container app's replicas). An exception fails nothing any more
   * (the resource is gone); it is logged.
   */
  default void afterDelete(ResourceId id, ObjectNode stored) throws Exception {}

  /**
   * The document as clients see it, on every reply that carries it (GET, lists, PUT and PATCH
   * replies, operation results): strip what must not leave the server (secret values), add what is
   * computed from other documents. The hidden {@code berth} field and the etag are already handled.
   *
   * @param doc a copy of the stored document, with {@code etag}; may be changed and returned
   */
  default ObjectNode view(ResourceId id, ObjectNode doc) {
    return doc;
  }

  /**
   * The view for the documents of one listing: {@link #view} by default. A type whose view reads
   * other documents answers a view that reads them once for the whole listing, not once a document.
   */
  default BiFunction<ResourceId, ObjectNode, ObjectNode> listingView() {
    return this::view;
  }

  /**
   * Serves {@code POST {id}/{action}} (such as {@code listCredentials}); the caller holds {@code
   * {type}/{action}/action}. Answers empty for actions the type does not have (404).
   *
   * @return the 200 reply body
   */
  default Optional<JsonNode> action(
      String action, ResourceId id, ObjectNode stored, ObjectNode body) throws Exception {
    return Optional.empty();
  }

  /**
   * Serves a long-running {@code POST {id}/{action}} (such as ACR's {@code importImage}): checks
   * the request synchronously and returns the work, which the ARM layer runs as an operation after
   * answering 202 with {@code Location} and {@code Azure-AsyncOperation}; the operation's result is
   * an empty 200 once the work returns, or the error it throws. Empty for actions that are not
   * long-running (then {@link #action} serves them). {@code caller} is who asked, for checks on
   * what the work will read in their name.
   */
  default Optional<ActionWork> longRunningAction(
      String action, ResourceId id, ObjectNode stored, ObjectNode body, Principal caller)
      throws Exception {
    return Optional.empty();
  }

  /** The work of a long-running action; throw an {@link dev.berth.api.ArmException} to fail it. */
  @FunctionalInterface
  interface ActionWork {
    void run() throws Exception;
  }
}
