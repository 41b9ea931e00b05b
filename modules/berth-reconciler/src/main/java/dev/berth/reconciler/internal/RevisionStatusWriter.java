package dev.berth.reconciler.internal;

import dev.berth.api.ResourceId;
import dev.berth.api.app.AppTypes;
import dev.berth.api.app.ContainerApp;
import dev.berth.api.app.Revision;
import dev.berth.api.app.RevisionStatus;
import dev.berth.store.Query;
import dev.berth.store.ResourceStore;
import java.time.Clock;
import java.util.Optional;

/**
 * Writes what the reconciler observes of a revision into its document, in {@link RevisionStatus}'s
 * words: its status with the error that explains it and its ready replicas, the image digest it
 * runs, and — in single revision mode — the end of its predecessors. Only the reconciler's fields
 * are touched, each write with {@code If-Match} ({@link ObservedStateWrites#updateProperties}).
 * Thread-safe.
 */
final class RevisionStatusWriter {

  private final ResourceStore store;
  private final Clock clock;

  RevisionStatusWriter(ResourceStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** The revision's status and ready replicas, without an error. */
  void write(ResourceId revision, RevisionStatus status, int replicas) {
    write(revision, status, Optional.empty(), replicas);
  }

  /** The revision's status, the error that explains it (or none) and its ready replicas. */
  void write(ResourceId revision, RevisionStatus status, Optional<String> error, int replicas) {
    ObservedStateWrites.updateProperties(
        store,
        revision,
        p -> {
          status.writeTo(p, error);
          p.put("replicas", replicas);
        });
    appOutcome(revision, status);
  }

  /**
   * The app's {@code provisioningState} is the outcome of provisioning its latest revision: the
   * write that made the revision records it when it ends (ARM), and what becomes of that revision
   * afterwards — a retry that runs it after the write failed, a restart whose pull fails — is the
   * same provisioning's new outcome, as in Container Apps. While an operation runs ({@code
   * InProgress}, {@code Deleting}) the ARM layer owns the state and it is left alone.
   */
  private void appOutcome(ResourceId revision, RevisionStatus status) {
    String outcome =
        switch (status.provisioningState()) {
          case Provisioned -> "Succeeded";
          case Failed -> "Failed";
          default -> "";
        };
    if (outcome.isEmpty() || revision.parent().isEmpty()) {
      return;
    }
    ObservedStateWrites.updateProperties(
        store,
        revision.parent().get(),
        p -> {
          String now = p.path("provisioningState").asText("");
          boolean settled = now.equals("Succeeded") || now.equals("Failed");
          if (settled
              && p.path("latestRevisionName").asText("").equalsIgnoreCase(revision.name())) {
            p.put("provisioningState", outcome);
          }
        });
  }

  /** The image a container of the revision runs: {@code images[]} {container, image, digest}. */
  void image(ResourceId revision, String container, String image, String digest) {
    ObservedStateWrites.updateProperties(
        store,
        revision,
        p ->
            p.putArray("images")
                .addObject()
                .put("container", container)
                .put("image", image)
                .put("digest", digest));
  }

  /**
   * Single revision mode: once the app's newest revision runs, its other active revisions stop
   * taking part (only then, so the old one serves until the new one runs). "Newest" is read from
   * the app as stored, in one transaction with the writes: the {@code app} the worker holds may
   * predate an update that made a newer revision, and deactivating that one would leave the app
   * with no active revision once the newer one runs and deactivates this one in turn.
   */
  void deactivatePredecessors(ContainerApp app, ResourceId revision) {
    store.inTransaction(
        tx -> {
          Optional<ContainerApp> current =
              tx.get(app.id()).map(stored -> ContainerApp.of(app.id(), stored.body()));
          if (current.isEmpty()
              || current.get().activeRevisionsMode() != ContainerApp.RevisionMode.Single
              || !current.get().latestRevisionName().orElse("").equalsIgnoreCase(revision.name())) {
            return null;
          }
          tx.stream(Query.children(app.id(), AppTypes.REVISION))
              .filter(r -> !r.id().key().equals(revision.key()))
              .filter(r -> Revision.of(r.id(), r.body()).active())
              .toList()
              .forEach(
                  r ->
                      ObservedStateWrites.updateProperties(
                          tx,
                          r.id(),
                          p -> {
                            p.put("active", false);
                            p.put("lastActiveTime", clock.instant().toString());
                          }));
          return null;
        });
  }
}
