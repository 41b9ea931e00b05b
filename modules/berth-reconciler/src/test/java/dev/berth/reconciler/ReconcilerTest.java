package dev.berth.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jwt.SignedJWT;
import dev.berth.identity.ReplicaIdentityTable;
import dev.berth.runtime.image.PullException;
import dev.berth.runtime.image.RegistryCredential;
import dev.berth.store.Precondition;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReconcilerTest extends ReconcilerFixture {

  @Test
  void aRevisionPullsWithItsUserAssignedIdentityFromTheEnvironmentsAddressAndRuns()
      throws Exception {
    givenAnAppWithRevision("Single");
    startReconciler();

    awaitState(V1, "Provisioned", "Running");
    FakePuller.Call call = puller.calls.get(0);
    assertThat(call.image().toString()).isEqualTo("localhost:5001/api:latest");
    assertThat(call.from().orElseThrow().getHostAddress()).isEqualTo("127.0.0.12");
    var mi = (RegistryCredential.ManagedIdentity) call.credential();
    SignedJWT token = SignedJWT.parse(mi.entraToken().get());
    assertThat(token.getJWTClaimsSet().getStringClaim("oid")).isEqualTo(UAMI_PRINCIPAL);
    assertThat(token.getJWTClaimsSet().getAudience())
        .containsExactly("https://management.azure.com/");

    assertThat(runtime.replicas).hasSize(1);
    var spec = runtime.specs.values().iterator().next();
    assertThat(spec.env()).containsEntry("MODE", "prod").containsEntry("CONTAINER_APP_NAME", "app");
    assertThat(properties(V1).path("images").get(0).path("digest").asText()).startsWith("sha256:");
    await()
        .untilAsserted(
            () ->
                assertThat(
                        store
                            .get(V1.child("replicas", spec.name()))
                            .orElseThrow()
                            .body()
                            .at("/properties/runningState")
                            .asText())
                    .isEqualTo("Running"));
  }

  @Test
  void anEnvironmentStoredBeforeTheStartHasItsOutboundAddressPreparedAtTheStart() throws Exception {
    store.put(
        ENV,
        (ObjectNode) JSON.readTree("{\"properties\":{\"outboundAddress\":\"127.0.0.12\"}}"),
        Precondition.NONE);

    startReconciler();

    await()
        .untilAsserted(
            () ->
                assertThat(puller.prepared)
                    .anyMatch(a -> a.orElseThrow().getHostAddress().equals("127.0.0.12")));
    assertThat(puller.calls).isEmpty(); // nothing was pulled: only readied
  }

  @Test
  void anEnvironmentCreatedLaterHasItsOutboundAddressPreparedBeforeAnyAppPulls() throws Exception {
    startReconciler();

    store.put(
        ENV,
        (ObjectNode) JSON.readTree("{\"properties\":{\"outboundAddress\":\"127.0.0.13\"}}"),
        Precondition.NONE);

    await()
        .untilAsserted(
            () ->
                assertThat(puller.prepared)
                    .anyMatch(a -> a.orElseThrow().getHostAddress().equals("127.0.0.13")));
  }

  @Test
  void aRefusedPullFailsTheRevisionInContainerAppsWordsAndRecoversOnceFixed() throws Exception {
    givenAnAppWithRevision("Single");
    puller.failure =
        new PullException(
            PullException.Reason.UNAUTHORIZED,
            PullException.Step.EXCHANGE,
            401,
            "UNAUTHORIZED",
            "POST https://localhost:5001/oauth2/exchange: UNAUTHORIZED: token validation failed",
            null);
    startReconciler();

    awaitState(V1, "Failed", "Failed");
    assertThat(properties(V1).path("provisioningError").asText())
        .startsWith(
            "The following field(s) are either invalid or missing. Field"
                + " 'template.containers.api.image' is invalid with details: 'Invalid value:"
                + " \"localhost:5001/api:latest\": POST https://localhost:5001/oauth2/exchange:"
                + " UNAUTHORIZED: token validation failed';..")
        .contains("Berth's diagnosis: test\nBerth retries by itself (next try in ")
        .endsWith(
            "to retry now: `berth containerapp revision restart -n app -g rg --revision "
                + V1.name()
                + "`");
    assertThat(runtime.replicas).isEmpty();

    puller.failure = null; // the cause is fixed; nobody redeploys
    awaitState(V1, "Provisioned", "Running");
    assertThat(properties(V1).has("provisioningError")).isFalse();
  }

  @Test
  void anIdentityThatIsNotAttachedIsRefusedBeforeAnyPull() throws Exception {
    givenAnAppWithRevision("Single");
    ObjectNode app = store.get(APP).orElseThrow().body().deepCopy();
    ((ObjectNode) app.at("/properties/configuration/registries/0"))
        .put("identity", RG + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/other");
    store.put(APP, app, Precondition.NONE);
    startReconciler();

    awaitState(V1, "Failed", "Failed");
    assertThat(properties(V1).path("provisioningError").asText())
        .contains(
            "unable to pull image using Managed identity "
                + RG
                + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/other for registry"
                + " localhost:5001");
    assertThat(puller.calls).isEmpty();
  }

  @Test
  void anExitedContainerIsRestartedAndACrashLoopMakesTheRevisionDegraded() throws Exception {
    givenAnAppWithRevision("Single");
    startReconciler();
    awaitState(V1, "Provisioned", "Running");
    String name = runtime.replicas.keySet().iterator().next();

    runtime.exit(name, 1, false);
    await().until(() -> runtime.started.size() == 2);
    assertThat(runtime.started).containsOnly(name); // the same replica, restarted

    await()
        .untilAsserted(
            () ->
                assertThat(
                        store
                            .get(V1.child("replicas", name))
                            .orElseThrow()
                            .body()
                            .at("/properties/containers/0/restartCount")
                            .asInt())
                    .isEqualTo(1));
  }

  @Test
  void aContainerThatNeverBecomesReadyDegradesTheRevision() throws Exception {
    givenAnAppWithRevision("Single");
    // A readiness probe on a port nothing listens on keeps the replica unready.
    ObjectNode rev = store.get(V1).orElseThrow().body().deepCopy();
    ((ObjectNode) rev.at("/properties/template/containers/0"))
        .putArray("probes")
        .addObject()
        .put("type", "Readiness")
        .putObject("tcpSocket")
        .put("port", 1);
    store.put(V1, rev, Precondition.NONE);
    startReconciler();
    await().until(() -> !runtime.replicas.isEmpty());

    for (int crash = 0; crash < 3; crash++) {
      await().until(() -> !runtime.replicas.isEmpty());
      String name = runtime.replicas.keySet().iterator().next();
      runtime.exit(name, 2, crash == 2);
      int before = crash;
      await().until(() -> runtime.stopped.size() > before);
    }

    awaitState(V1, "Failed", "Degraded");
    assertThat(properties(V1).path("provisioningError").asText())
        .contains("keeps stopping before it is ready (OOMKilled");
  }

  @Test
  void inSingleModeTheOldRevisionIsDeactivatedOnlyOnceTheNewOneRuns() throws Exception {
    givenAnAppWithRevision("Single");
    startReconciler();
    awaitState(V1, "Provisioned", "Running");
    String oldReplica = runtime.replicas.keySet().iterator().next();

    ObjectNode app = store.get(APP).orElseThrow().body().deepCopy();
    ((ObjectNode) app.path("properties")).put("latestRevisionName", "app--v2");
    store.put(APP, app, Precondition.NONE);
    puller.failure =
        new PullException(
            PullException.Reason.MANIFEST_UNKNOWN,
            PullException.Step.MANIFEST,
            404,
            "MANIFEST_UNKNOWN",
            "GET …: MANIFEST_UNKNOWN: manifest tagged by \"v2\" is not found",
            null);
    putRevision(V2, "v2");
    awaitState(V2, "Failed", "Failed");
    assertThat(properties(V1).path("active").asBoolean()).isTrue();
    assertThat(runtime.replicas).containsKey(oldReplica);

    puller.failure = null;
    awaitState(V2, "Provisioned", "Running");
    await().until(() -> !properties(V1).path("active").asBoolean());
    await().until(() -> !runtime.replicas.containsKey(oldReplica));
    awaitState(V1, "Provisioned", "Stopped");
  }

  @Test
  void replicasLeftRunningByAnEarlierBerthAreAdoptedNotDoubledAndOrphansStopped() throws Exception {
    givenAnAppWithRevision("Single");
    runtime.leftRunning(
        "app--v1-kept0001",
        Map.of(
            "berth.revision",
            V1.value(),
            "berth.app",
            APP.value(),
            "berth.identity-header-sha256",
            ReplicaIdentityTable.fingerprint("h")));
    runtime.leftRunning(
        "gone--v1-orphan01",
        Map.of("berth.revision", APP.value() + "2/revisions/gone--v1", "berth.app", "x"));
    startReconciler();

    awaitState(V1, "Provisioned", "Running");
    await().until(() -> runtime.stopped.contains("gone--v1-orphan01"));
    assertThat(runtime.replicas).containsOnlyKeys("app--v1-kept0001");
    assertThat(runtime.started).isEmpty();
    assertThat(puller.calls).isEmpty();
  }

  @Test
  void deletingTheAppStopsItsReplicas() throws Exception {
    givenAnAppWithRevision("Single");
    startReconciler();
    awaitState(V1, "Provisioned", "Running");

    store.deleteTree(APP);

    await().until(() -> runtime.replicas.isEmpty());
  }

  @Test
  void aRestartRequestReplacesTheReplicasWithFreshOnes() throws Exception {
    givenAnAppWithRevision("Single");
    startReconciler();
    awaitState(V1, "Provisioned", "Running");
    String first = runtime.replicas.keySet().iterator().next();

    ObjectNode rev = store.get(V1).orElseThrow().body().deepCopy();
    rev.putObject("berth").put("restartGeneration", 1);
    store.put(V1, rev, Precondition.NONE);

    await().until(() -> runtime.stopped.contains(first) && runtime.replicas.size() == 1);
    assertThat(runtime.replicas).doesNotContainKey(first);
    assertThat(puller.calls).hasSize(2); // pull policy Always: a restart pulls again
  }
}
