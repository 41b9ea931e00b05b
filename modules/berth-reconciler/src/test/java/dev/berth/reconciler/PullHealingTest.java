package dev.berth.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ResourceId;
import dev.berth.reconciler.diagnosis.Diagnosis;
import dev.berth.runtime.image.PullException;
import dev.berth.store.Precondition;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Healing at once (docs/reconciler.md): with a back-off of a minute, a change to what a failed pull
 * depends on makes the same revision pull again within 2 s; a change that does not concern it wakes
 * nothing. Drives the whole {@link Reconciler} (store watch, work queue, timers).
 */
class PullHealingTest extends ReconcilerFixture {

  private static final ResourceId REGISTRY =
      ResourceId.parse(RG + "/providers/Microsoft.ContainerRegistry/registries/myacr");
  private static final ResourceId OTHER_REGISTRY =
      ResourceId.parse(RG + "/providers/Microsoft.ContainerRegistry/registries/other");
  private static final Duration FIX_TO_RUNNING = Duration.ofSeconds(2);

  @BeforeEach
  void failingPullWithALongBackOff() throws Exception {
    pullBackoff = Duration.ofMinutes(1);
    put(REGISTRY, "{\"properties\":{\"loginServer\":\"localhost:5001\"}}");
    put(OTHER_REGISTRY, "{\"properties\":{\"loginServer\":\"other:5002\"}}");
    givenAnAppWithRevision("Single");
    puller.failure =
        new PullException(
            PullException.Reason.UNAUTHORIZED,
            PullException.Step.TOKEN,
            401,
            "UNAUTHORIZED",
            "GET https://localhost:5001/oauth2/token: UNAUTHORIZED",
            null);
    startReconciler();
    awaitState(V1, "Failed", "Failed");
  }

  @Test
  void aRoleAssignmentOnTheRegistryMakesTheSameRevisionPullAgainAtOnce() throws Exception {
    puller.failure = null;

    put(roleAssignment(REGISTRY, "a1"), "{\"properties\":{\"principalId\":\"p\"}}");

    awaitRunningWithin(FIX_TO_RUNNING);
  }

  @Test
  void aRoleAssignmentOnTheResourceGroupAboveTheRegistryWakesItToo() throws Exception {
    puller.failure = null;

    put(roleAssignment(ResourceId.parse(RG), "a2"), "{\"properties\":{\"principalId\":\"p\"}}");

    awaitRunningWithin(FIX_TO_RUNNING);
  }

  @Test
  void aChangedRegistryPolicyWakesIt() throws Exception {
    puller.failure = null;

    put(
        REGISTRY,
        "{\"properties\":{\"loginServer\":\"localhost:5001\","
            + "\"policies\":{\"azureADAuthenticationAsArmPolicy\":{\"status\":\"enabled\"}}}}");

    awaitRunningWithin(FIX_TO_RUNNING);
  }

  @Test
  void aChangedIdentityOfTheAppWakesIt() throws Exception {
    puller.failure = null;

    put(
        ResourceId.parse(UAMI),
        "{\"type\":\"Microsoft.ManagedIdentity/userAssignedIdentities\","
            + "\"properties\":{\"principalId\":\""
            + UAMI_PRINCIPAL
            + "\",\"clientId\":\"c2\",\"tenantId\":\"tenant-1\"}}");

    awaitRunningWithin(FIX_TO_RUNNING);
  }

  @Test
  void aPushIntoTheRegistryWakesIt() {
    puller.failure = null;

    reconciler.registryChanged(REGISTRY);

    awaitRunningWithin(FIX_TO_RUNNING);
  }

  @Test
  void changesThatDoNotConcernThePullWakeNothing() throws Exception {
    int pulls = puller.calls.size();
    puller.failure = null;

    put(roleAssignment(OTHER_REGISTRY, "a3"), "{\"properties\":{\"principalId\":\"p\"}}");
    put(OTHER_REGISTRY, "{\"properties\":{\"loginServer\":\"other:5002\",\"x\":1}}");
    reconciler.registryChanged(OTHER_REGISTRY);
    // The app written again with the same registries, secrets and identity (a status write).
    ObjectNode app = (ObjectNode) store.get(APP).orElseThrow().body();
    app.withObject("properties").put("runningStatus", "Running");
    store.put(APP, app, Precondition.NONE);

    // Nothing may pull for a whole second: a wake-up would have pulled within milliseconds.
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(2))
        .until(() -> puller.calls.size() == pulls);
    assertThat(puller.calls).hasSize(pulls);
    assertThat(properties(V1).path("provisioningState").asText()).isEqualTo("Failed");
  }

  @Test
  void theDiagnosisSaysWhenBerthRetriesAndIsHealthyOnceTheRevisionRuns() throws Exception {
    Diagnosis failed = reconciler.diagnose(V1);
    assertThat(failed.retry().orElseThrow().seconds()).isBetween(50L, 60L);
    assertThat(failed.render()).contains("Berth retries by itself (next try in ");

    puller.failure = null;
    put(roleAssignment(REGISTRY, "a4"), "{\"properties\":{\"principalId\":\"p\"}}");
    awaitRunningWithin(FIX_TO_RUNNING);

    assertThat(reconciler.diagnose(V1).toJson().path("healthy").asBoolean()).isTrue();
  }

  private void awaitRunningWithin(Duration limit) {
    await()
        .atMost(limit)
        .pollInterval(Duration.ofMillis(20))
        .untilAsserted(
            () -> assertThat(properties(V1).path("runningState").asText()).isEqualTo("Running"));
    assertThat(store.get(APP.child("revisions", "app--v2"))).isEmpty();
  }

  private static ResourceId roleAssignment(ResourceId scope, String name) {
    return scope.provider("Microsoft.Authorization", "roleAssignments", name);
  }

  private void put(ResourceId id, String json) throws Exception {
    store.put(id, (ObjectNode) JSON.readTree(json), Precondition.NONE);
  }
}
