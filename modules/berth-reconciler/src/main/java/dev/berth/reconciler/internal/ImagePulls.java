package dev.berth.reconciler.internal;

import dev.berth.api.ResourceId;
import dev.berth.api.acr.AcrDocuments;
import dev.berth.api.acr.Registry;
import dev.berth.api.app.Container;
import dev.berth.api.app.ContainerApp;
import dev.berth.api.app.ContainerApp.RegistryCredentials;
import dev.berth.api.app.RevisionStatus;
import dev.berth.reconciler.PullFailureExplainer;
import dev.berth.reconciler.ReconcilerConfig;
import dev.berth.reconciler.diagnosis.Diagnosis;
import dev.berth.runtime.image.ImagePuller;
import dev.berth.runtime.image.ImageReference;
import dev.berth.runtime.image.PullException;
import dev.berth.runtime.image.PullListener;
import dev.berth.runtime.image.PulledImage;
import dev.berth.store.Query;
import dev.berth.store.ResourceStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pull phase of a revision: pulls its container's image as {@link PullPlanner} decides, tells
 * the app's system log how it goes, and on failure marks the revision {@link RevisionStatus#FAILED}
 * with Container Apps' message and the diagnosis after it, then asks to be woken after the
 * back-off, so the revision recovers by itself once the cause is fixed. Thread-safe; one revision's
 * pulls never overlap (the work queue sees to that).
 */
final class ImagePulls {

  private static final Logger log = LoggerFactory.getLogger(ImagePulls.class);

  private final ResourceStore store;
  private final ImagePuller puller;
  private final PullPlanner planner;
  private final PullFailureExplainer explainer;
  private final SystemEvents events;
  private final RevisionStatusWriter status;
  private final ReconcilerConfig config;
  private final Clock clock;
  private final BiConsumer<ResourceId, Duration> later;

  ImagePulls(
      ResourceStore store,
      ImagePuller puller,
      PullPlanner planner,
      PullFailureExplainer explainer,
      SystemEvents events,
      RevisionStatusWriter status,
      ReconcilerConfig config,
      Clock clock,
      BiConsumer<ResourceId, Duration> later) {
    this.store = store;
    this.puller = puller;
    this.planner = planner;
    this.explainer = explainer;
    this.events = events;
    this.status = status;
    this.config = config;
    this.clock = clock;
    this.later = later;
  }

  /**
   * Pulls {@code container}'s image into {@code state.image}, unless a failed pull is still backing
   * off.
   *
   * @return whether the image is there
   */
  boolean pull(ContainerApp app, ResourceId revision, RevisionState state, Container container) {
    Instant now = clock.instant();
    // A fix of what the last failure depends on skips the rest of the back-off (PullWakeups).
    if (!state.retryNow.getAndSet(false) && now.isBefore(state.nextPullAt)) {
      later.accept(revision, Duration.between(now, state.nextPullAt));
      return false;
    }
    String imageText = container.image();
    PullPlanner.Plan plan;
    try {
      plan = planner.plan(app, imageText);
    } catch (PullPlanner.Refusal refusal) {
      failed(app, revision, state, container, refusal.image(), refusal.registryEntry(), refusal);
      return false;
    }
    events.normal(
        app.id(), revision.name(), null, "PullingImage", "Pulling image \"" + imageText + "\"");
    long started = System.nanoTime();
    try {
      PulledImage image =
          puller.pull(
              plan.image(), plan.credential(), plan.sourceAddress(), progress(app, revision));
      state.image = image;
      state.pullFailures = 0;
      state.lastFailure = null;
      events.normal(
          app.id(),
          revision.name(),
          null,
          "ImagePulled",
          "Successfully pulled image \""
              + imageText
              + "\" in "
              + Duration.ofNanos(System.nanoTime() - started).toMillis()
              + "ms");
      status.image(revision, container.name(), imageText, image.manifestDigest());
      return true;
    } catch (PullException e) {
      failed(app, revision, state, container, Optional.of(plan.image()), plan.registryEntry(), e);
      return false;
    }
  }

  /** Layer downloads as system events: what {@code logs show --type system} shows of a pull. */
  private PullListener progress(ContainerApp app, ResourceId revision) {
    return new PullListener() {
      @Override
      public void layerStarted(String digest, long size) {
        events.normal(
            app.id(),
            revision.name(),
            null,
            "PullingImage",
            "Pulling layer " + digest + " (" + String.format("%.1f", size / 1e6) + " MB)");
      }

      @Override
      public void layerReady(String digest, boolean wasCached) {
        if (!wasCached) {
          events.normal(app.id(), revision.name(), null, "PullingImage", "Pulled layer " + digest);
        }
      }
    };
  }

  private void failed(
      ContainerApp app,
      ResourceId revision,
      RevisionState state,
      Container container,
      Optional<ImageReference> image,
      Optional<RegistryCredentials> entry,
      Exception failure) {
    state.pullFailures++;
    Duration delay = config.pullDelay(state.pullFailures);
    state.nextPullAt = clock.instant().plus(delay);
    String detail =
        "The following field(s) are either invalid or missing. Field 'template.containers."
            + container.name()
            + ".image' is invalid with details: 'Invalid value: \""
            + container.image()
            + "\": "
            + failure.getMessage()
            + "';..";
    state.lastFailure =
        new PullFailure(
            app.id(),
            container.name(),
            image,
            entry.map(RegistryCredentials::json),
            failure,
            image.flatMap(i -> registryServing(i.registry())),
            app.environmentId(),
            identitiesNamed(app),
            PullFailure.appInputs(app.body()));
    Diagnosis found =
        image
            .map(i -> explain(app, container, i, entry, failure))
            .orElse(new Diagnosis(List.of(), ""))
            .withRetry(revision, delay);
    String diagnosis = found.render();
    // The cause to fix first, as the diagnosis names it; else the registry's refusal.
    Optional<String> cause =
        found.codes().stream()
            .findFirst()
            .map(Enum::name)
            .or(
                () ->
                    failure instanceof PullException p
                        ? Optional.of(p.reason().name())
                        : Optional.empty());
    events.warning(app.id(), revision.name(), null, "ImagePullBackOff", detail, cause);
    status.write(
        revision,
        RevisionStatus.FAILED,
        Optional.of(diagnosis.isEmpty() ? detail : detail + "\n\n" + diagnosis),
        0);
    later.accept(revision, delay);
  }

  private Diagnosis explain(
      ContainerApp app,
      Container container,
      ImageReference image,
      Optional<RegistryCredentials> entry,
      Exception failure) {
    try {
      return explainer.explain(
          app.id(),
          app.body(),
          container.name(),
          image,
          entry.map(RegistryCredentials::json),
          failure);
    } catch (RuntimeException e) {
      log.warn("pull diagnosis failed for {}", app.id(), e);
      return new Diagnosis(List.of(), "");
    }
  }

  /**
   * The diagnosis of {@code revision}'s last failed pull, asked again now (a cause fixed since is
   * no longer reported), with the back-off's remaining wait; empty when its last pull did not fail.
   */
  Optional<Diagnosis> diagnose(ResourceId revision, RevisionState state) {
    PullFailure f = state.lastFailure;
    if (f == null) {
      return Optional.empty();
    }
    Duration wait = Duration.between(clock.instant(), state.nextPullAt);
    Diagnosis d =
        f.image()
            .flatMap(
                i ->
                    store
                        .get(f.app())
                        .map(
                            doc ->
                                explainer.explain(
                                    f.app(),
                                    doc.body(),
                                    f.container(),
                                    i,
                                    f.registryEntry(),
                                    f.failure())))
            .orElse(new Diagnosis(List.of(), f.failure().getMessage()));
    return Optional.of(d.withRetry(revision, wait.isNegative() ? Duration.ZERO : wait));
  }

  /** The Berth registry that serves {@code server}, if one does. */
  private Optional<ResourceId> registryServing(String server) {
    return store.stream(Query.descendants(ResourceId.root(), AcrDocuments.REGISTRY_TYPE))
        .filter(d -> Registry.from(d.id(), d.body()).servesAt(server))
        .map(d -> d.id())
        .findFirst();
  }

  /** The user-assigned identities the app names: attached, or in a registries[] entry. */
  private static Set<String> identitiesNamed(ContainerApp app) {
    Set<String> keys = new HashSet<>();
    app.identity().userAssigned().forEach(u -> u.id().ifPresent(id -> keys.add(id.key())));
    for (RegistryCredentials r : app.registries()) {
      r.identity().flatMap(ResourceId::tryParse).ifPresent(id -> keys.add(id.key()));
    }
    return Set.copyOf(keys);
  }
}
