package dev.berth.controlplane.providers.app;

import static dev.berth.controlplane.providers.app.AppFixture.APPS;
import static dev.berth.controlplane.providers.app.AppFixture.ENV;
import static dev.berth.controlplane.providers.app.AppFixture.V;
import static dev.berth.controlplane.providers.app.AppFixture.app;
import static dev.berth.controlplane.providers.app.AppFixture.configuration;
import static dev.berth.controlplane.providers.app.AppFixture.container;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ResourceId;
import dev.berth.api.app.AppTypes;
import dev.berth.controlplane.support.ArmServer.Reply;
import dev.berth.http.Json;
import dev.berth.store.Precondition;
import dev.berth.store.Query;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Container apps over real HTTP: the long-running write, revisions, the computed view, delete. */
class ContainerAppApiTest {

  private AppFixture f;

  @BeforeEach
  void start() throws Exception {
    f = new AppFixture();
  }

  @AfterEach
  void stop() throws Exception {
    f.close();
  }

  private ObjectNode appWithIdentityPull() throws Exception {
    String uami = f.identity("pull-id").path("id").asText();
    ObjectNode app = app();
    app.putObject("identity")
        .put("type", "UserAssigned")
        .putObject("userAssignedIdentities")
        .putObject(uami.toLowerCase(Locale.ROOT));
    configuration(app)
        .putArray("registries")
        .addObject()
        .put("server", "localhost:5001")
        .put("identity", uami);
    configuration(app).putObject("ingress").put("external", true).put("targetPort", 8080);
    return app;
  }

  @Test
  void createIs201WithPollingHeadersAndSucceedsOnceTheRevisionRuns() throws Exception {
    Reply created = f.put("app1", appWithIdentityPull());

    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
    assertThat(created.header("Azure-AsyncOperation")).contains("/operationStatuses/");
    assertThat(created.header("Location")).contains("/operationResults/");
    assertThat(created.header("Retry-After")).isEqualTo("1");
    JsonNode p = created.json().path("properties");
    assertThat(p.path("provisioningState").asText()).isEqualTo("InProgress");
    String revision = p.path("latestRevisionName").asText();
    assertThat(revision).matches("app1--[a-z0-9]{7}");
    assertThat(p.path("runningStatus").asText()).isEqualTo("Progressing");
    assertThat(created.json().has("berth")).isFalse();

    // The operation waits for the reconciler: it stays in progress while nothing runs.
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(
            () ->
                f.arm
                    .get(created.header("Azure-AsyncOperation"), "owner")
                    .json()
                    .path("status")
                    .asText()
                    .equals("InProgress"));
    f.running("app1", revision);
    assertThat(f.operation(created).path("status").asText()).isEqualTo("Succeeded");

    JsonNode app = f.get("app1").json();
    p = app.path("properties");
    assertThat(p.path("provisioningState").asText()).isEqualTo("Succeeded");
    assertThat(p.path("latestReadyRevisionName").asText()).isEqualTo(revision);
    assertThat(p.path("runningStatus").asText()).isEqualTo("Running");
    assertThat(p.path("environmentId").asText()).isEqualTo(ENV);
    assertThat(p.path("managedEnvironmentId").asText()).isEqualTo(ENV);
    assertThat(p.at("/configuration/ingress/fqdn").asText()).isEqualTo("app1." + f.domain);
    assertThat(p.at("/configuration/ingress/transport").asText()).isEqualTo("auto");
    assertThat(p.path("latestRevisionFqdn").asText()).isEqualTo(revision + "." + f.domain);
    assertThat(p.at("/outboundIpAddresses/0").asText()).isEqualTo("127.0.0.10");
    // The streams' host is Berth's own endpoint (https://localhost when the test does not say).
    assertThat(p.path("eventStreamEndpoint").asText())
        .isEqualTo(
            "https://localhost"
                + "/subscriptions/"
                + ResourceId.parse(ENV).subscriptionId().orElseThrow()
                + "/resourceGroups/rg1/containerApps/app1/eventstream");
    assertThat(p.at("/configuration/activeRevisionsMode").asText()).isEqualTo("Single");
    assertThat(p.at("/template/scale/minReplicas").asInt()).isZero();
    assertThat(p.at("/template/scale/maxReplicas").asInt()).isEqualTo(10);
    assertThat(p.at("/template/containers/0/resources/memory").asText()).isEqualTo("1Gi");

    JsonNode rev = f.arm.get(APPS + "/app1/revisions/" + revision + V, "owner").json();
    assertThat(rev.path("type").asText()).isEqualTo("Microsoft.App/containerApps/revisions");
    assertThat(rev.at("/properties/template/containers/0/image").asText())
        .isEqualTo("localhost:5001/api:1");
    assertThat(rev.at("/properties/active").asBoolean()).isTrue();
    assertThat(rev.has("berth")).isFalse();
  }

  @Test
  void anAppWhoseRevisionFailsIsFailedAndProgressingThenRunningWhenItRuns() throws Exception {
    Reply created = f.put("app1", appWithIdentityPull());
    String revision = created.json().at("/properties/latestRevisionName").asText();

    f.observe("app1", revision, "Failed", "Failed", "UNAUTHORIZED: pull refused");

    assertThat(f.operation(created).path("status").asText()).isEqualTo("Failed");
    JsonNode p = f.get("app1").json().path("properties");
    assertThat(p.path("provisioningState").asText()).isEqualTo("Failed");
    assertThat(p.path("runningStatus").asText())
        .as("the reconciler retries a failed revision: the app is on its way, not stopped")
        .isEqualTo("Progressing");

    f.observe("app1", revision, "Provisioned", "Degraded", null);
    assertThat(f.get("app1").json().at("/properties/runningStatus").asText()).isEqualTo("Running");
  }

  @Test
  void aGetEchoedBackIs200WithoutAnOperationOrRevision() throws Exception {
    Reply created = f.put("app1", appWithIdentityPull());
    f.running("app1", created.json().at("/properties/latestRevisionName").asText());
    f.operation(created);

    Reply echo = f.put("app1", f.get("app1").json());

    assertThat(echo.status()).as(echo.raw().body()).isEqualTo(200);
    assertThat(echo.header("Azure-AsyncOperation")).isNull();
    assertThat(revisions("app1")).isEqualTo(1);
  }

  @Test
  void aTemplateChangeMakesANewRevisionAndAConfigurationChangeNone() throws Exception {
    ObjectNode body = app();
    Reply created = f.put("app1", body);
    String first = created.json().at("/properties/latestRevisionName").asText();
    f.running("app1", first);
    f.operation(created);

    ObjectNode config = f.get("app1").json().deepCopy();
    configuration(config).putObject("ingress").put("targetPort", 80);
    Reply configOnly = f.put("app1", config);
    assertThat(configOnly.status()).as(configOnly.raw().body()).isEqualTo(200);
    assertThat(f.operation(configOnly).path("status").asText()).isEqualTo("Succeeded");
    assertThat(revisions("app1")).isEqualTo(1);

    ObjectNode image = f.get("app1").json().deepCopy();
    container(image).put("image", "localhost:5001/api:2");
    Reply changed = f.put("app1", image);
    assertThat(changed.status()).isEqualTo(200);
    String second = changed.json().at("/properties/latestRevisionName").asText();
    assertThat(second).isNotEqualTo(first);
    assertThat(revisions("app1")).isEqualTo(2);
    f.running("app1", second);
    assertThat(f.operation(changed).path("status").asText()).isEqualTo("Succeeded");

    Reply patched =
        f.arm.send(
            "PATCH",
            APPS + "/app1" + V,
            "owner",
            "{\"properties\":{\"template\":{\"revisionSuffix\":\"v3\",\"containers\":"
                + "[{\"name\":\"api\",\"image\":\"localhost:5001/api:3\"}]}}}");
    assertThat(patched.status()).as(patched.raw().body()).isEqualTo(202);
    assertThat(patched.header("Azure-AsyncOperation")).isNotNull();
    assertThat(patched.header("Location")).isNotNull();
    f.running("app1", "app1--v3");
    assertThat(f.operation(patched).path("status").asText()).isEqualTo("Succeeded");
    assertThat(f.get("app1").json().at("/properties/latestRevisionName").asText())
        .isEqualTo("app1--v3");

    JsonNode list = f.arm.get(APPS + "/app1/revisions" + V, "owner").json();
    assertThat(list.path("value")).hasSize(3);
  }

  @Test
  void aSuffixUsedBeforeIs400() throws Exception {
    ObjectNode body = app();
    ((ObjectNode) body.at("/properties/template")).put("revisionSuffix", "v1");
    Reply created = f.put("app1", body);
    assertThat(created.json().at("/properties/latestRevisionName").asText()).isEqualTo("app1--v1");
    f.running("app1", "app1--v1");
    f.operation(created);

    container(body).put("image", "localhost:5001/api:2");
    Reply reused = f.put("app1", body);

    assertThat(reused.status()).as(reused.raw().body()).isEqualTo(400);
    assertThat(reused.json().at("/error/code").asText())
        .isEqualTo("InvalidParameterValueInContainerTemplate");
    assertThat(reused.json().at("/error/message").asText())
        .contains("app1--v1")
        .contains("revisionSuffix");
    assertThat(revisions("app1")).isEqualTo(1);
  }

  @Test
  void aFailedRevisionFailsTheOperationWithContainerAppOperationError() throws Exception {
    Reply created = f.put("app1", app());
    String revision = created.json().at("/properties/latestRevisionName").asText();

    f.observe(
        "app1", revision, "Failed", "Failed", "Field 'template.containers.api.image' is invalid");

    JsonNode op = f.operation(created);
    assertThat(op.path("status").asText()).isEqualTo("Failed");
    assertThat(op.at("/error/code").asText()).isEqualTo("ContainerAppOperationError");
    assertThat(op.at("/error/message").asText())
        .isEqualTo(
            "Failed to provision revision for container app 'app1'. Error details: Field"
                + " 'template.containers.api.image' is invalid");
    assertThat(f.get("app1").json().at("/properties/provisioningState").asText())
        .isEqualTo("Failed");
  }

  @Test
  void aPutOfTheSameFailedAppTriesItsRevisionAgainAndSettlesAsItDoes() throws Exception {
    Reply created = f.put("app1", app());
    String revision = created.json().at("/properties/latestRevisionName").asText();
    f.observe("app1", revision, "Failed", "Failed", "pull failed: 401 Unauthorized");
    assertThat(f.operation(created).path("status").asText()).isEqualTo("Failed");

    // The same body again: no new revision, the failed one is started over and awaited.
    Reply again = f.put("app1", app());

    assertThat(again.status()).as(again.raw().body()).isEqualTo(200);
    assertThat(revisions("app1")).isEqualTo(1);
    JsonNode restarted = f.arm.store.get(f.revisionId("app1", revision)).orElseThrow().body();
    assertThat(restarted.at("/properties/provisioningState").asText()).isEqualTo("Provisioning");
    assertThat(restarted.at("/properties/provisioningError").isMissingNode()).isTrue();
    assertThat(restarted.at("/berth/restartGeneration").asLong()).isEqualTo(1);
    f.observe("app1", revision, "Failed", "Failed", "pull failed: 401 Unauthorized");
    JsonNode stillFailing = f.operation(again);
    assertThat(stillFailing.path("status").asText()).isEqualTo("Failed");
    assertThat(stillFailing.at("/error/message").asText()).contains("401 Unauthorized");
    assertThat(f.get("app1").json().at("/properties/provisioningState").asText())
        .isEqualTo("Failed");

    Reply third = f.put("app1", app());
    f.running("app1", revision);

    assertThat(f.operation(third).path("status").asText()).isEqualTo("Succeeded");
    assertThat(f.get("app1").json().at("/properties/provisioningState").asText())
        .isEqualTo("Succeeded");
    assertThat(revisions("app1")).isEqualTo(1);
  }

  @Test
  void aRevisionThatNeverRunsExpiresTheOperation() throws Exception {
    try (AppFixture quick = new AppFixture(Duration.ofMillis(500))) {
      Reply created = quick.put("app1", app());

      JsonNode op = quick.operation(created);

      assertThat(op.at("/error/code").asText()).isEqualTo("ContainerAppOperationError");
      assertThat(op.at("/error/message").asText())
          .isEqualTo(
              "Failed to provision revision for container app 'app1'. Error details: Operation"
                  + " expired.");
    }
  }

  @Test
  void withNothingToRunRevisionsAWriteSucceedsOnceStored() throws Exception {
    try (AppFixture stored = new AppFixture(AppProvider.NOTHING_RUNS)) {
      Reply created = stored.put("app1", app());

      JsonNode op = stored.operation(created);

      assertThat(op.path("status").asText()).as(op.toString()).isEqualTo("Succeeded");
      String revision = created.json().at("/properties/latestRevisionName").asText();
      assertThat(
              stored
                  .arm
                  .get(APPS + "/app1/revisions/" + revision + V, "owner")
                  .json()
                  .at("/properties/provisioningState")
                  .asText())
          .isEqualTo("Provisioning");
    }
  }

  @Test
  void deleteIs202AndTakesRevisionsAndReplicasThenTheEnvironmentMayGo() throws Exception {
    Reply created = f.put("app1", app());
    String revision = created.json().at("/properties/latestRevisionName").asText();
    f.running("app1", revision);
    f.operation(created);
    ResourceId replica = f.revisionId("app1", revision).child("replicas", revision + "-abc");
    f.arm.store.put(replica, Json.object().put("name", replica.name()), Precondition.NONE);
    assertThat(f.arm.send("DELETE", ENV + V, "owner", null).status()).isEqualTo(409);

    Reply deleted = f.arm.send("DELETE", APPS + "/app1" + V, "owner", null);

    assertThat(deleted.status()).isEqualTo(202);
    assertThat(deleted.header("Location")).isNotNull();
    assertThat(deleted.header("Azure-AsyncOperation")).isNotNull();
    assertThat(f.operation(deleted).path("status").asText()).isEqualTo("Succeeded");
    assertThat(f.get("app1").status()).isEqualTo(404);
    assertThat(f.arm.store.get(f.revisionId("app1", revision))).isEmpty();
    assertThat(f.arm.store.get(replica)).isEmpty();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> f.arm.send("DELETE", ENV + V, "owner", null).status() == 202);
  }

  @Test
  void listsBySubscriptionAndGroup() throws Exception {
    f.put("app1", app());
    f.put("app2", app());
    String sub = ResourceId.parse(ENV).subscription().orElseThrow().value();
    assertThat(f.arm.get(APPS + V, "owner").json().path("value")).hasSize(2);
    assertThat(
            f.arm
                .get(sub + "/providers/Microsoft.App/containerApps" + V, "owner")
                .json()
                .path("value"))
        .hasSize(2);
  }

  private long revisions(String app) {
    return f.arm
        .store
        .list(Query.children(ResourceId.parse(APPS + "/" + app), AppTypes.REVISION))
        .items()
        .size();
  }
}
