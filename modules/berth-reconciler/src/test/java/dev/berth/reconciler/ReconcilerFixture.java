package dev.berth.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ResourceId;
import dev.berth.api.secrets.SecretSealer;
import dev.berth.identity.AppIdentities;
import dev.berth.identity.IdentityConfig;
import dev.berth.identity.ReplicaIdentityTable;
import dev.berth.identity.SigningKeys;
import dev.berth.identity.TokenIssuer;
import dev.berth.reconciler.diagnosis.Diagnosis;
import dev.berth.store.Precondition;
import dev.berth.store.ResourceStore;
import dev.berth.store.memory.InMemoryResourceStore;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the reconciler tests share: a store, a fake runtime and puller, the sealer and identity
 * table the server wires, an app with a revision, and waits on the revision's observed state.
 */
abstract class ReconcilerFixture {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String SUB = "/subscriptions/00000000-0000-0000-0000-000000000001";
  static final String RG = SUB + "/resourceGroups/rg";
  static final ResourceId ENV =
      ResourceId.parse(RG + "/providers/Microsoft.App/managedEnvironments/env");
  static final String UAMI =
      RG + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/pull-id";
  static final ResourceId APP = ResourceId.parse(RG + "/providers/Microsoft.App/containerApps/app");
  static final ResourceId V1 = APP.child("revisions", "app--v1");
  static final ResourceId V2 = APP.child("revisions", "app--v2");
  static final String UAMI_PRINCIPAL = "11111111-1111-4111-8111-111111111111";

  @TempDir Path logs;
  final ResourceStore store = new InMemoryResourceStore();
  final FakeRuntime runtime = new FakeRuntime();
  final FakePuller puller = new FakePuller();
  final TokenIssuer issuer =
      new TokenIssuer(
          IdentityConfig.of("tenant-1", URI.create("https://127.0.0.1:8443"), Path.of("unused")),
          SigningKeys.ephemeral());
  final SecretSealer sealer = SecretSealer.fromEncoded(SecretSealer.newEncodedKey());
  final ReplicaIdentityTable identities = new ReplicaIdentityTable(AppIdentities.of(store));
  Reconciler reconciler;
  Optional<String> identityEndpoint = Optional.empty();
  Duration pullBackoff = Duration.ofMillis(100);

  /**
   * Closes the reconciler and waits for its passes still running: one that ended after the test
   * wrote a revision's system log into {@code logs} while JUnit deleted it (a CI failure).
   */
  @AfterEach
  void stop() throws InterruptedException {
    if (reconciler != null) {
      reconciler.closeAndAwaitPasses(Duration.ofSeconds(10));
    }
  }

  void startReconciler() {
    ReconcilerConfig config =
        ReconcilerConfig.defaults(logs, "https://management.azure.com/", identityEndpoint)
            .withBackoff(
                pullBackoff,
                Duration.ofMillis(50),
                pullBackoff.compareTo(Duration.ofMillis(400)) > 0
                    ? pullBackoff
                    : Duration.ofMillis(400));
    reconciler =
        new Reconciler(
            config,
            store,
            runtime,
            puller,
            issuer,
            (app, body, container, image, entry, failure) -> new Diagnosis(List.of(), "test"),
            sealer,
            identities,
            Clock.systemUTC());
    reconciler.start();
  }

  void givenAnAppWithRevision(String mode) throws Exception {
    store.put(
        ENV,
        (ObjectNode) JSON.readTree("{\"properties\":{\"outboundAddress\":\"127.0.0.12\"}}"),
        Precondition.NONE);
    store.put(
        ResourceId.parse(UAMI),
        (ObjectNode)
            JSON.readTree(
                "{\"type\":\"Microsoft.ManagedIdentity/userAssignedIdentities\","
                    + "\"properties\":{\"principalId\":\""
                    + UAMI_PRINCIPAL
                    + "\",\"clientId\":\"c1\",\"tenantId\":\"tenant-1\"}}"),
        Precondition.NONE);
    ObjectNode app =
        (ObjectNode)
            JSON.readTree(
                """
                {"identity":{"type":"UserAssigned","userAssignedIdentities":{"%s":{}}},
                 "properties":{"environmentId":"%s","latestRevisionName":"app--v1",
                  "configuration":{"activeRevisionsMode":"%s",
                    "registries":[{"server":"localhost:5001","identity":"%s"}]},
                  "template":%s}}
                """
                    .formatted(
                        UAMI.toLowerCase(Locale.ROOT),
                        ENV.value(),
                        mode,
                        UAMI.toLowerCase(Locale.ROOT),
                        template("latest")));
    store.put(APP, app, Precondition.NONE);
    putRevision(V1, "latest");
  }

  static String template(String tag) {
    return """
        {"containers":[{"name":"api","image":"localhost:5001/api:%s",
          "env":[{"name":"MODE","value":"prod"}]}]}
        """
        .formatted(tag);
  }

  void putRevision(ResourceId id, String tag) throws Exception {
    store.put(
        id,
        (ObjectNode)
            JSON.readTree(
                """
                {"properties":{"template":%s,"active":true,"provisioningState":"Provisioning",
                  "runningState":"Processing","healthState":"None"}}
                """
                    .formatted(template(tag))),
        Precondition.NONE);
  }

  JsonNode properties(ResourceId id) {
    return store.get(id).orElseThrow().body().path("properties");
  }

  void awaitState(ResourceId id, String provisioning, String running) {
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(properties(id).path("provisioningState").asText()).isEqualTo(provisioning);
              assertThat(properties(id).path("runningState").asText()).isEqualTo(running);
            });
  }
}
