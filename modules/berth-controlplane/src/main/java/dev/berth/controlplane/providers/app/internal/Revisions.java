package dev.berth.controlplane.providers.app.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ArmErrorCode;
import dev.berth.api.ArmException;
import dev.berth.api.ResourceId;
import dev.berth.api.app.AppTypes;
import dev.berth.api.app.ContainerApp;
import dev.berth.api.app.Revision;
import dev.berth.api.app.RevisionStatus;
import dev.berth.http.Json;
import dev.berth.store.Precondition;
import dev.berth.store.Query;
import dev.berth.store.ResourceStore;
import dev.berth.store.StoredResource;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Makes the revisions of a container app: a new immutable {@code {app}--{suffix}} document whenever
 * the app's {@code properties.template} changes (and at creation), nothing for any other change.
 * The document starts {@link RevisionStatus#PROVISIONING}; the reconciler takes it from there
 * (docs/provider-app.md, "Store contract"). Thread-safe.
 *
 * @see <a href="https://learn.microsoft.com/azure/container-apps/revisions">Revisions in Azure
 *     Container Apps</a>
 */
final class Revisions {

  private static final Pattern SUFFIX = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");

  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ResourceStore store;
  private final Clock clock;

  Revisions(ResourceStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /**
   * Creates the revision of {@code desired}'s template unless the current app already has one for
   * the same template, in {@code tx} (the app write's transaction); sets {@code
   * properties.latestRevisionName}.
   *
   * @return the new revision's name, or empty when the template did not change
   */
  Optional<String> createIfChanged(
      ResourceStore tx, ResourceId app, ObjectNode desired, Optional<ObjectNode> current) {
    ObjectNode props = (ObjectNode) desired.get("properties");
    JsonNode template = props.get("template");
    boolean same =
        current.isPresent()
            && template.equals(current.get().path("properties").path("template"))
            && ContainerApp.of(app, current.get()).latestRevisionName().isPresent();
    if (same) {
      return Optional.empty();
    }
    String suffix = props.path("template").path("revisionSuffix").asText("");
    ResourceId revision;
    if (suffix.isEmpty()) {
      do {
        revision = app.child("revisions", app.name() + "--" + random());
      } while (tx.get(revision).isPresent());
    } else {
      if (!SUFFIX.matcher(suffix).matches() || suffix.contains("--")) {
        throw Fields.invalid(
            "template.revisionSuffix",
            "'"
                + suffix
                + "' must consist of lower case letters, digits and single '-', starting and"
                + " ending with a letter or digit");
      }
      revision = app.child("revisions", app.name() + "--" + suffix);
      if (revision.name().length() > AppLimits.MAX_HOST_LABEL) {
        throw Fields.invalid(
            "template.revisionSuffix",
            "the revision name '"
                + revision.name()
                + "' would be "
                + revision.name().length()
                + " characters; it is the first label of the revision's host name, so at most 63:"
                + " give a suffix of at most "
                + (AppLimits.MAX_HOST_LABEL - app.name().length() - 2)
                + " characters");
      }
      if (tx.get(revision).isPresent()) {
        throw ArmException.of(
                ArmErrorCode.InvalidParameterValueInContainerTemplate,
                "The revision '"
                    + revision.name()
                    + "' already exists: template.revisionSuffix '"
                    + suffix
                    + "' was used by an earlier revision of container app '"
                    + app.name()
                    + "'. Give a new revisionSuffix, or omit it to get a generated one.")
            .withTarget("properties.template.revisionSuffix");
      }
    }
    tx.put(revision, document(revision, template), Precondition.ABSENT);
    props.put("latestRevisionName", revision.name());
    return Optional.of(revision.name());
  }

  /**
   * For a write that repeats the app as stored (how ARM clients ask again): its latest revision,
   * when it is active and not settled, to be awaited as a new one would be. The app's {@code
   * provisioningState} is the outcome of its latest revision, so such a write must not settle
   * {@code Succeeded} over one that still fails. A failed one is started over at once, in {@code
   * tx}: back to {@link RevisionStatus#PROVISIONING} with its restart generation bumped, which the
   * reconciler answers as a restart (no back-off left to wait).
   *
   * @return the revision to await, or empty when the latest is running, stopped or inactive
   */
  Optional<String> retryUnsettled(ResourceStore tx, ResourceId app, ObjectNode desired) {
    Optional<ResourceId> latest =
        ContainerApp.of(app, desired).latestRevisionName().map(n -> app.child("revisions", n));
    Optional<StoredResource> stored = latest.flatMap(tx::get);
    if (stored.isEmpty()) {
      return Optional.empty();
    }
    Revision revision = Revision.of(stored.get().id(), stored.get().body());
    if (!revision.active() || !(revision.hasFailed() || revision.isProvisioning())) {
      return Optional.empty();
    }
    if (revision.hasFailed()) {
      ObjectNode doc = stored.get().body().deepCopy();
      RevisionStatus.PROVISIONING.writeTo(Fields.object(doc, "properties", "properties"));
      restart(doc);
      tx.put(stored.get().id(), doc, Precondition.ifMatch(stored.get().etag()));
    }
    return Optional.of(revision.name());
  }

  /**
   * Bumps a revision document's hidden {@code berth.restartGeneration}, which the reconciler
   * answers by replacing the revision's replicas.
   */
  static void restart(ObjectNode revision) {
    ObjectNode hidden = Fields.object(revision, "berth", "berth");
    hidden.put("restartGeneration", hidden.path("restartGeneration").asLong(0) + 1);
  }

  private ObjectNode document(ResourceId revision, JsonNode template) {
    ObjectNode doc = Json.object();
    doc.put("id", revision.value()).put("name", revision.name()).put("type", AppTypes.REVISION);
    ObjectNode p = doc.putObject("properties");
    p.put("createdTime", clock.instant().toString());
    p.set("template", template.deepCopy());
    p.put("active", true);
    RevisionStatus.PROVISIONING.writeTo(p);
    p.put("replicas", 0);
    p.put("trafficWeight", 0);
    doc.putObject("berth").put("restartGeneration", 0);
    return doc;
  }

  /** The app's revisions, newest first. */
  List<Revision> of(ResourceId app) {
    return list(store, app);
  }

  /** {@code app}'s revisions in {@code store} (or a write's transaction), newest first. */
  static List<Revision> list(ResourceStore store, ResourceId app) {
    return store.stream(Query.children(app, AppTypes.REVISION).limit(500))
        .map(r -> Revision.of(r.id(), r.body()))
        .sorted(
            Comparator.comparing((Revision r) -> r.createdTime().orElse(Instant.EPOCH)).reversed())
        .toList();
  }

  private static String random() {
    StringBuilder s = new StringBuilder(7);
    for (int i = 0; i < 7; i++) {
      s.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return s.toString();
  }
}
