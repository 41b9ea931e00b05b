package dev.berth.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ResourceId;
import dev.berth.api.secrets.SecretSlot;
import dev.berth.identity.BoundIdentity;
import dev.berth.identity.ReplicaIdentityTable;
import dev.berth.reconciler.internal.SystemEvents;
import dev.berth.runtime.ReplicaSpec;
import dev.berth.store.Precondition;
import java.net.InetAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a replica gets of its app's secrets and identities: secret values opened from the store's
 * sealed form and marked secret for the runtime, and an {@code IDENTITY_HEADER} that the identity
 * table honours from the replica's own address only, for as long as that replica runs.
 */
class ReplicaSecretsTest extends ReconcilerFixture {

  @BeforeEach
  void anAppWithASecretEnv() throws Exception {
    identityEndpoint = Optional.of("http://10.213.0.1:42356/msi/token");
    givenAnAppWithRevision("Single");
    setSecret(sealer.seal("s3cr3t-value", SecretSlot.appSecret(APP, "db")));
    ObjectNode rev = store.get(V1).orElseThrow().body().deepCopy();
    ArrayNode env = (ArrayNode) rev.at("/properties/template/containers/0/env");
    env.addObject().put("name", "DB_PASSWORD").put("secretRef", "db");
    store.put(V1, rev, Precondition.NONE);
  }

  /** Stores {@code stored} as the value of the app's secret {@code db}, as it is. */
  void setSecret(String stored) {
    ObjectNode app = store.get(APP).orElseThrow().body().deepCopy();
    ((ObjectNode) app.at("/properties/configuration"))
        .putArray("secrets")
        .addObject()
        .put("name", "db")
        .put("value", stored);
    store.put(APP, app, Precondition.NONE);
  }

  ReplicaSpec onlySpec() {
    await().until(() -> runtime.specs.size() == 1);
    return runtime.specs.values().iterator().next();
  }

  @Test
  void aReplicaGetsTheOpenedSecretAndTheRuntimeIsToldWhichEnvValuesAreSecret() {
    startReconciler();
    awaitState(V1, "Provisioned", "Running");

    ReplicaSpec spec = onlySpec();
    String header = spec.env().get("IDENTITY_HEADER");
    assertThat(spec.env())
        .containsEntry("DB_PASSWORD", "s3cr3t-value")
        .containsEntry("MODE", "prod");
    assertThat(spec.secretEnv()).containsExactlyInAnyOrder("DB_PASSWORD", "IDENTITY_HEADER");
    // The labels (kept on disk by the runtime) hold the header's fingerprint, never the header.
    assertThat(spec.labels().values()).doesNotContain(header);
    assertThat(spec.labels())
        .containsEntry("berth.identity-header-sha256", ReplicaIdentityTable.fingerprint(header));
  }

  @Test
  void theHeaderOpensTheAppsIdentitiesOnlyFromTheReplicasAddressAndDiesWithTheReplica()
      throws Exception {
    startReconciler();
    awaitState(V1, "Provisioned", "Running");
    ReplicaSpec first = onlySpec();
    String header = first.env().get("IDENTITY_HEADER");
    InetAddress replica = InetAddress.getByName("127.0.0.1");

    assertThat(identities.forRequest(header, replica))
        .hasValueSatisfying(
            ids ->
                assertThat(ids)
                    .extracting(BoundIdentity::resourceId)
                    .containsExactly(UAMI.toLowerCase(Locale.ROOT)));
    assertThat(identities.forRequest(header, InetAddress.getByName("127.0.0.2"))).isEmpty();

    // The container exits; its restart gets a new header and the old one is dead.
    runtime.specs.clear();
    runtime.exit(first.name(), 1, false);
    await().atMost(Duration.ofSeconds(10)).until(() -> runtime.specs.size() == 1);
    String second = onlySpec().env().get("IDENTITY_HEADER");
    assertThat(second).isNotEqualTo(header);
    assertThat(identities.forRequest(header, replica)).isEmpty();
    assertThat(identities.forRequest(second, replica)).isPresent();
  }

  @Test
  void aReplicaLeftRunningIsRecognisedByItsHeadersFingerprintAsSoonAsTheReconcilerStarts()
      throws Exception {
    String header = ReplicaIdentityTable.newSecret();
    runtime.leftRunning(
        "app--v1-kept0001",
        Map.of(
            "berth.revision",
            V1.value(),
            "berth.app",
            APP.value(),
            "berth.identity-header-sha256",
            ReplicaIdentityTable.fingerprint(header)));

    startReconciler();

    assertThat(identities.forRequest(header, InetAddress.getByName("127.0.0.1"))).isPresent();
  }

  @Test
  void aSecretStoredInClearOrSealedForAnotherAppIsNotGivenToAReplica() throws Exception {
    for (String stored :
        List.of(
            "s3cr3t-in-clear",
            sealer.seal(
                "s3cr3t-of-another-app",
                SecretSlot.appSecret(ResourceId.parse(APP.value() + "2"), "db")))) {
      setSecret(stored);
      startReconciler();

      var log = SystemEvents.appDirectory(logs, APP).resolve("system.log");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> Files.exists(log) && Files.readString(log).contains("ContainerCreateFailed"));
      assertThat(Files.readString(log))
          .containsAnyOf("is not sealed", "sealed for another place")
          .doesNotContain("s3cr3t");
      assertThat(runtime.started).isEmpty();
      reconciler.close();
      Files.delete(log);
    }
  }
}
