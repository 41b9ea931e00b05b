package dev.berth.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.ResourceId;
import dev.berth.api.app.Revision;
import dev.berth.api.app.RevisionStatus;
import dev.berth.runtime.image.RegistryCredential;
import dev.berth.testing.TableTest.Step;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;

/**
 * Checks of what the last reconcile pass ({@link Scene#last}) changed, for reconciler table tests:
 * the status it wrote, the replicas it started and stopped, the pulls it made, the documents it
 * touched and the wake-ups it asked for.
 */
final class Then {

  private Then() {}

  /** The revision's status reads back as {@code status}, in Container Apps' words. */
  static Step<Scene> status(ResourceId revision, RevisionStatus status) {
    return Step.named(
        "status(" + revision.name() + ", " + status + ")",
        s -> {
          Revision r = revision(s, revision);
          assertThat(r.provisioningState()).contains(status.provisioningState());
          assertThat(r.runningState()).contains(status.runningState());
          assertThat(r.healthState()).contains(status.healthState());
        });
  }

  /** The app's {@code provisioningState} reads {@code state}. */
  static Step<Scene> appState(String state) {
    return Step.named(
        "appState(" + state + ")",
        s ->
            assertThat(
                    s.store
                        .get(Scene.APP)
                        .orElseThrow()
                        .body()
                        .path("properties")
                        .path("provisioningState")
                        .asText())
                .isEqualTo(state));
  }

  /** The revision's {@code provisioningError} holds each of {@code parts}. */
  static Step<Scene> error(ResourceId revision, String... parts) {
    return Step.named(
        "error(" + revision.name() + ")",
        s -> assertThat(revision(s, revision).provisioningError().orElse("")).contains(parts));
  }

  static Step<Scene> noError(ResourceId revision) {
    return Step.named(
        "noError(" + revision.name() + ")",
        s -> assertThat(revision(s, revision).provisioningError()).isEmpty());
  }

  /** The pass pulled {@code count} images; the last with a credential of {@code kind}. */
  static Step<Scene> pulled(int count, Class<? extends RegistryCredential> kind) {
    return Step.named(
        "pulled(" + count + ", " + kind.getSimpleName() + ")",
        s -> {
          assertThat(s.last.pulls()).isEqualTo(count);
          assertThat(s.puller.calls.getLast().credential()).isInstanceOf(kind);
          assertThat(s.puller.calls.getLast().from().orElseThrow().getHostAddress())
              .isEqualTo("127.0.0.12");
        });
  }

  static Step<Scene> pulledNothing() {
    return Step.named("pulledNothing", s -> assertThat(s.last.pulls()).isZero());
  }

  /** The pass started {@code started} replicas and stopped {@code stopped}. */
  static Step<Scene> replicas(int started, int stopped) {
    return Step.named(
        "replicas(started " + started + ", stopped " + stopped + ")",
        s -> {
          assertThat(s.last.started()).hasSize(started);
          assertThat(s.last.stopped()).hasSize(stopped);
        });
  }

  /**
   * Every replica the pass started has {@code IDENTITY_ENDPOINT} and {@code IDENTITY_HEADER} when
   * {@code given}, neither otherwise.
   */
  static Step<Scene> identityVariables(boolean given) {
    return Step.named(
        "identityVariables(" + given + ")",
        s -> {
          assertThat(s.last.started()).isNotEmpty();
          for (String replica : s.last.started()) {
            var env = s.runtime.specs.get(replica).env();
            assertThat(env.containsKey("IDENTITY_ENDPOINT")).isEqualTo(given);
            assertThat(env.containsKey("IDENTITY_HEADER")).isEqualTo(given);
          }
        });
  }

  /** After the pass the runtime runs {@code count} replicas of the revision, each documented. */
  static Step<Scene> runs(ResourceId revision, int count) {
    return Step.named(
        "runs(" + revision.name() + ", " + count + ")",
        s -> {
          assertThat(s.replicasOf(revision)).hasSize(count);
          for (String replica : s.replicasOf(revision)) {
            assertThat(
                    s.store
                        .get(revision.child("replicas", replica))
                        .orElseThrow()
                        .body()
                        .at("/properties/runningState")
                        .asText())
                .isEqualTo("Running");
          }
        });
  }

  /** The pass changed documents of {@code revision} (and its replicas) and no others. */
  static Step<Scene> touchesOnly(ResourceId... revisions) {
    return Step.named(
        "touchesOnly",
        s ->
            assertThat(s.last.changes().documents())
                .allSatisfy(
                    key ->
                        assertThat(Arrays.stream(revisions))
                            .anyMatch(r -> key.equals(r.key()) || key.startsWith(r.key() + "/"))));
  }

  /** The pass changed nothing at all: no document, no replica, no pull. */
  static Step<Scene> nothingChanged() {
    return Step.named(
        "nothingChanged",
        s -> {
          assertThat(s.last.changes().isEmpty()).as(s.last.changes().toString()).isTrue();
          assertThat(s.last.started()).isEmpty();
          assertThat(s.last.stopped()).isEmpty();
          assertThat(s.last.pulls()).isZero();
        });
  }

  /** The pass asked to look at {@code revision} again after {@code after}. */
  static Step<Scene> wakesAfter(ResourceId revision, Duration after) {
    return Step.named(
        "wakesAfter(" + revision.name() + ", " + after + ")",
        s -> assertThat(s.last.wakeUps()).contains(new Scene.WakeUp(revision, after)));
  }

  /** {@code reason} is in the app's system log. */
  static Step<Scene> event(String reason) {
    return Step.named(
        "event(" + reason + ")",
        s -> assertThat(s.systemLog()).contains("\"Reason\":\"" + reason + "\""));
  }

  /** A system event says {@code text}. */
  static Step<Scene> eventSays(String text) {
    return Step.named("eventSays(" + text + ")", s -> assertThat(s.systemLog()).contains(text));
  }

  /** Each stopped replica was drained of its requests first, waiting at most {@code max}. */
  static Step<Scene> drainedFirst(int replicas, Duration max) {
    return Step.named(
        "drainedFirst(" + replicas + ", " + max + ")",
        s ->
            assertThat(s.traffic.drains)
                .hasSize(replicas)
                .allSatisfy(d -> assertThat(d.max()).isEqualTo(max)));
  }

  /** {@code active} of the revision. */
  static Step<Scene> active(ResourceId revision, boolean active) {
    return Step.named(
        "active(" + revision.name() + ", " + active + ")",
        s -> assertThat(revision(s, revision).active()).isEqualTo(active));
  }

  /** The header a step left {@code replica} with opens the app's identities from its address. */
  static Step<Scene> headerOpens(String replica) {
    return Step.named(
        "headerOpens(" + replica + ")",
        s ->
            assertThat(
                    s.identities.forRequest(
                        s.headers.get(replica), InetAddress.getByName("127.0.0.1")))
                .isPresent());
  }

  private static Revision revision(Scene s, ResourceId id) {
    return Revision.of(id, s.store.get(id).orElseThrow().body());
  }
}
