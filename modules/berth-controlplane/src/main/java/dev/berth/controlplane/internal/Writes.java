package dev.berth.controlplane.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ArmErrorCode;
import dev.berth.api.ArmErrors;
import dev.berth.api.ArmException;
import dev.berth.api.Principal;
import dev.berth.api.ResourceId;
import dev.berth.controlplane.ResourceType;
import dev.berth.http.Json;
import dev.berth.store.Precondition;
import dev.berth.store.ResourceStore;
import dev.berth.store.StoredResource;
import java.time.Clock;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules of ARM writes shared by the generic handler: parents must exist, read-only fields are
 * ignored, names come from the URL, a PUT that changes nothing is a no-op, and the provider's work
 * settles {@code provisioningState}. Thread-safe.
 */
public final class Writes {

  /** What a write did. */
  public record Outcome(StoredResource doc, boolean created, boolean changed) {}

  private static final Logger LOG = LoggerFactory.getLogger(Writes.class);

  private final ResourceStore store;
  private final Clock clock;

  public Writes(ResourceStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** 404 unless the subscription exists. */
  public void requireSubscription(ResourceId sub) {
    if (store.get(sub).isEmpty()) {
      throw ArmErrors.subscriptionNotFound(sub.subscriptionId().orElse(sub.name()));
    }
  }

  /**
   * Checks that what {@code id} lives in exists: its subscription, its resource group (not being
   * deleted, for writes), and for a nested resource its parent resource.
   */
  public void requireParents(ResourceId id, boolean forWrite) {
    id.subscription().ifPresent(this::requireSubscription);
    Optional<ResourceId> group = id.resourceGroup();
    if (group.isPresent() && !group.get().equals(id)) {
      StoredResource rg = store.get(group.get()).orElseThrow(() -> Documents.groupNotFound(id));
      if (forWrite && "Deleting".equals(Documents.provisioningState(rg.body()))) {
        throw ArmException.of(
            ArmErrorCode.ResourceGroupBeingDeleted,
            "The resource group '"
                + rg.id().name()
                + "' is in deprovisioning state and cannot"
                + " perform this operation.");
      }
    }
    Optional<ResourceId> parent = id.parent();
    if (parent.isPresent()
        && !parent.get().isRoot()
        && !parent.get().type().equals(ResourceId.SUBSCRIPTION_TYPE)
        && !parent.get().type().equals(ResourceId.RESOURCE_GROUP_TYPE)
        && store.get(parent.get()).isEmpty()) {
      throw ArmErrors.resourceNotFound(parent.get());
    }
  }

  /** 412 unless the conditional headers hold for the current document. */
  public static void check(Precondition pre, Optional<StoredResource> current) {
    if (!pre.test(current.orElse(null))) {
      throw ArmErrors.preconditionFailed(current.map(StoredResource::etag).orElse(null));
    }
  }

  /**
   * The desired document of a PUT: the body without server-owned envelope fields and read-only
   * properties, with {@code location} normalised (required for tracked types) and the read-only
   * values of the current document kept.
   */
  public ObjectNode desired(
      ResourceType t, ResourceId id, ObjectNode body, Optional<StoredResource> current) {
    ObjectNode desired = body.deepCopy();
    Documents.SERVER_OWNED.forEach(desired::remove);
    desired.remove(Documents.HIDDEN);
    current
        .map(c -> c.body().get(Documents.HIDDEN))
        .ifPresent(hidden -> desired.set(Documents.HIDDEN, hidden.deepCopy()));
    if (t.tracked()) {
      desired.put("location", Documents.requireLocation(desired));
      Documents.checkTags(desired);
    }
    JsonNode props = desired.get("properties");
    if (props != null && !props.isNull() && !props.isObject()) {
      throw ArmException.of(
              ArmErrorCode.InvalidRequestContent, "The 'properties' property must be an object.")
          .withTarget("properties");
    }
    ObjectNode p = Documents.properties(desired);
    JsonNode state = p.remove("provisioningState");
    if (state != null && current.isPresent()) {
      String now = Documents.provisioningState(current.get().body());
      if (!state.asText().equalsIgnoreCase(now)) {
        throw ArmException.of(
                ArmErrorCode.InvalidProvisioningState,
                "The provisioningState '"
                    + state.asText()
                    + "' is read-only and differs from the"
                    + " current value '"
                    + now
                    + "'.")
            .withTarget("properties.provisioningState");
      }
    }
    t.readOnlyProperties().forEach(p::remove);
    current.ifPresent(
        c -> {
          JsonNode old = c.body().path("properties");
          for (String ro : t.readOnlyProperties()) {
            if (old.has(ro)) {
              p.set(ro, old.get(ro).deepCopy());
            }
          }
        });
    return desired;
  }

  /**
   * The document a PATCH asks for: the current one with the body merged in (RFC 7396), {@code tags}
   * replaced as a whole, read-only fields ignored; {@code location} may not change.
   */
  public ObjectNode merged(ResourceType t, StoredResource current, ObjectNode body) {
    ObjectNode patch = body.deepCopy();
    Documents.SERVER_OWNED.forEach(patch::remove);
    patch.remove(Documents.HIDDEN);
    ObjectNode base = current.body().deepCopy();
    JsonNode loc = patch.remove("location");
    if (loc != null
        && loc.isTextual()
        && base.has("location")
        && !Documents.normalizeLocation(loc.asText())
            .equals(Documents.normalizeLocation(base.path("location").asText()))) {
      throw ArmException.of(
              ArmErrorCode.InvalidParameter,
              "The location of an existing resource cannot be changed.")
          .withTarget("location");
    }
    if (patch.has("tags")) {
      Documents.checkTags(patch);
      JsonNode tags = patch.remove("tags");
      if (tags.isNull()) {
        base.remove("tags");
      } else {
        base.set("tags", tags);
      }
    }
    if (patch.get("properties") instanceof ObjectNode p) {
      p.remove("provisioningState");
      t.readOnlyProperties().forEach(p::remove);
    }
    ObjectNode merged = (ObjectNode) Documents.mergePatch(base, patch);
    Documents.SERVER_OWNED.forEach(merged::remove);
    return merged;
  }

  /** The full stored form: envelope, the prepared document, state and {@code systemData}. */
  public ObjectNode compose(
      ResourceType t,
      ResourceId id,
      ObjectNode prepared,
      Optional<StoredResource> current,
      Principal by) {
    ObjectNode doc = Json.object();
    doc.put("id", id.value()).put("name", id.name()).put("type", t.type());
    for (Iterator<Map.Entry<String, JsonNode>> it = prepared.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!Documents.SERVER_OWNED.contains(e.getKey())) {
        doc.set(e.getKey(), e.getValue());
      }
    }
    ObjectNode props = Documents.properties(doc);
    props.put(
        "provisioningState",
        current.map(c -> Documents.provisioningState(c.body())).orElse("Succeeded"));
    doc.set(
        "systemData",
        Documents.systemData(
            current.map(c -> c.body().get("systemData")).orElse(null), by, clock.instant()));
    return doc;
  }

  /** A PUT changes nothing when only bookkeeping differs and the id keeps its casing. */
  public static boolean unchanged(ObjectNode doc, StoredResource current) {
    if (!Documents.isTerminal(Documents.provisioningState(current.body()))
        || !"succeeded".equalsIgnoreCase(Documents.provisioningState(current.body()))
        || !doc.path("id").asText().equals(current.body().path("id").asText())) {
      return false;
    }
    return comparable(doc).equals(comparable(current.body()));
  }

  private static ObjectNode comparable(ObjectNode doc) {
    ObjectNode c = doc.deepCopy();
    c.remove("systemData");
    c.remove("etag");
    // Hidden state follows visible changes; on its own it never makes a PUT a change.
    c.remove(Documents.HIDDEN);
    if (c.get("properties") instanceof ObjectNode p) {
      p.remove("provisioningState");
    }
    return c;
  }

  /**
   * Runs the provider's create-or-update work and records the outcome in {@code provisioningState}:
   * Succeeded with the properties it computed, or Failed (and rethrows).
   */
  public StoredResource settle(ResourceType t, ResourceId id, boolean async) {
    StoredResource doc = store.get(id).orElseThrow(() -> ArmErrors.resourceNotFound(id));
    try {
      Optional<ObjectNode> computed = t.hooks().onCreateOrUpdate(id, doc.body().deepCopy());
      return store.inTransaction(
          s -> {
            StoredResource now = s.get(id).orElseThrow(() -> ArmErrors.resourceNotFound(id));
            ObjectNode body = now.body().deepCopy();
            ObjectNode props = Documents.properties(body);
            computed.ifPresent(c -> props.setAll(c));
            props.put("provisioningState", "Succeeded");
            return body.equals(now.body()) ? now : s.put(id, body, Precondition.NONE);
          });
    } catch (Exception e) {
      store.get(id).ifPresent(now -> markFailed(id, now));
      if (e instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(
          "provisioning " + id + " failed" + (async ? " asynchronously" : ""), e);
    }
  }

  /**
   * Runs the provider's delete work ({@code onDelete}) for a long-running DELETE and removes the
   * resource with everything under it. When the work throws, the resource stays, {@code Failed}
   * rather than {@code Deleting} (as on ARM: a later DELETE may try again, and recovery does not
   * run it again at every start), and the error is rethrown for the operation to record.
   *
   * @param stored the document as the DELETE found it
   */
  public void delete(ResourceType t, ResourceId id, ObjectNode stored) throws Exception {
    try {
      t.hooks().onDelete(id, stored);
    } catch (Exception | Error e) {
      markDeleteFailed(id);
      throw e;
    }
    store.deleteTree(id);
    try {
      t.hooks().afterDelete(id, stored);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("{} is deleted; waiting for what ran it to stop failed", id, e);
    }
  }

  /** Failed, unless a later write took the resource over since it turned Deleting. */
  private void markDeleteFailed(ResourceId id) {
    try {
      store.inTransaction(
          s -> {
            StoredResource now = s.get(id).orElse(null);
            if (now == null || !"Deleting".equals(Documents.provisioningState(now.body()))) {
              return null;
            }
            ObjectNode body = now.body().deepCopy();
            Documents.properties(body).put("provisioningState", "Failed");
            return s.put(id, body, Precondition.ifMatch(now.etag()));
          });
    } catch (RuntimeException e) {
      // The operation still ends Failed with the provider's error; the state is best effort.
      LOG.warn("cannot mark {} Failed after its delete failed", id, e);
    }
  }

  private void markFailed(ResourceId id, StoredResource now) {
    ObjectNode body = now.body().deepCopy();
    Documents.properties(body).put("provisioningState", "Failed");
    store.put(id, body, Precondition.NONE);
  }
}
