package dev.berth.controlplane;

import static dev.berth.controlplane.support.ArmServer.SUB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ArmErrorCode;
import dev.berth.api.ArmException;
import dev.berth.api.ResourceId;
import dev.berth.controlplane.support.ArmServer;
import dev.berth.controlplane.support.ArmServer.Reply;
import dev.berth.http.Json;
import dev.berth.store.Precondition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Berth that dies mid-operation leaves operations {@code InProgress} and resources {@code
 * InProgress} or {@code Deleting}; the next one resumes or ends every one of them. The "dead"
 * server here is a first {@link ArmServer} whose provider work never returns; the restart is a
 * second server on the same store.
 */
class OperationRecoveryTest {

  private static final String RG = "/subscriptions/" + SUB + "/resourceGroups/rg1";
  private static final String ACR = RG + "/providers/Microsoft.ContainerRegistry/registries/";
  private static final String V = "?api-version=2023-07-01";

  /** Provider work of the dead server: it waits for this latch, which never opens in time. */
  private final CountDownLatch never = new CountDownLatch(1);

  private final List<ArmServer> servers = new ArrayList<>();
  private ArmServer dead;

  @BeforeEach
  void start() throws Exception {
    dead = server(new ArmServer(List.of(hanging(), TestTypes.webhooks())));
    dead.put(
        "/subscriptions/" + SUB + "/resourcegroups/rg1?api-version=2021-04-01",
        "owner",
        "{\"location\":\"local\"}");
  }

  @AfterEach
  void stop() throws Exception {
    for (ArmServer s : servers) {
      s.close();
    }
  }

  private ArmServer server(ArmServer s) {
    servers.add(s);
    return s;
  }

  private ArmServer restart() throws Exception {
    return server(
        ArmServer.restartedOn(dead.store, List.of(TestTypes.registries(), TestTypes.webhooks())));
  }

  /** The registries type of the dead server: its create, update and delete work hangs. */
  private ResourceType hanging() {
    ResourceHooks hooks =
        new ResourceHooks() {
          @Override
          public Optional<ObjectNode> onCreateOrUpdate(ResourceId id, ObjectNode stored)
              throws Exception {
            never.await();
            throw ArmException.of(ArmErrorCode.Conflict, "The dead process ended late.");
          }

          @Override
          public void onDelete(ResourceId id, ObjectNode stored) throws Exception {
            never.await();
          }
        };
    return ResourceType.builder("Microsoft.ContainerRegistry/registries")
        .apiVersions("2023-07-01")
        .longRunning(true)
        .readOnlyProperties("loginServer", "creationDate")
        .hooks(hooks)
        .build();
  }

  private static String status(ArmServer arm, String operationUrl) throws Exception {
    return arm.get(path(operationUrl), "owner").json().path("status").asText();
  }

  /** A URL's path and query, to ask the restarted server what the dead one answered about. */
  private static String path(String url) {
    return url.substring(url.indexOf("/subscriptions/"));
  }

  @Test
  void aCreateInFlightAtTheCrashIsResumedAndItsOperationSucceeds() throws Exception {
    Reply created = dead.put(ACR + "myacr" + V, "owner", "{\"location\":\"local\"}");
    assertThat(created.status()).isEqualTo(201);
    String op = created.header("Azure-AsyncOperation");
    assertThat(status(dead, op)).isEqualTo("InProgress");

    ArmServer next = restart();
    RecoveryReport report = next.api().recoverInterruptedOperations();
    assertThat(report.operations()).isEqualTo(1);
    assertThat(report.resources()).isEqualTo(1);
    report.finished().get(10, TimeUnit.SECONDS);

    assertThat(status(next, op)).isEqualTo("Succeeded");
    Reply result = next.get(path(created.header("Location")), "owner");
    assertThat(result.status()).isEqualTo(200);
    assertThat(result.json().at("/properties/creationDate").asText())
        .isEqualTo("2026-01-01T00:00:00Z");
    assertThat(
            next.get(ACR + "myacr" + V, "owner")
                .json()
                .at("/properties/provisioningState")
                .asText())
        .isEqualTo("Succeeded");

    // The dead process's work ending late, and otherwise, never overwrites the first ending.
    never.countDown();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                next.get(ACR + "myacr" + V, "owner")
                    .json()
                    .at("/properties/provisioningState")
                    .asText()
                    .equals("Failed"));
    assertThat(status(next, op)).isEqualTo("Succeeded");
  }

  @Test
  void aDeleteInFlightAtTheCrashIsFinished() throws Exception {
    ResourceId acr = ResourceId.parse(ACR + "delacr");
    ObjectNode doc = Json.object().put("id", acr.value()).put("name", "delacr");
    doc.put("type", "Microsoft.ContainerRegistry/registries").put("location", "local");
    doc.putObject("properties").put("provisioningState", "Succeeded");
    dead.store.put(acr, doc, Precondition.NONE);
    assertThat(dead.put(ACR + "delacr/webhooks/hook1" + V, "owner", "{}").status()).isEqualTo(201);
    Reply deleting = dead.send("DELETE", ACR + "delacr" + V, "owner", null);
    assertThat(deleting.status()).isEqualTo(202);

    ArmServer next = restart();
    next.api().recoverInterruptedOperations().finished().get(10, TimeUnit.SECONDS);

    assertThat(status(next, deleting.header("Azure-AsyncOperation"))).isEqualTo("Succeeded");
    assertThat(next.get(path(deleting.header("Location")), "owner").status()).isEqualTo(200);
    assertThat(next.get(ACR + "delacr" + V, "owner").status()).isEqualTo(404);
    assertThat(next.get(ACR + "delacr/webhooks/hook1" + V, "owner").status()).isEqualTo(404);
  }

  @Test
  void aResourceGroupDeleteInFlightAtTheCrashIsFinished() throws Exception {
    dead.put(ACR + "ingroup" + V, "owner", "{\"location\":\"local\"}");
    Reply deleting =
        dead.send(
            "DELETE",
            "/subscriptions/" + SUB + "/resourcegroups/rg1?api-version=2021-04-01",
            "owner",
            null);
    assertThat(deleting.status()).isEqualTo(202);

    ArmServer next = restart();
    RecoveryReport report = next.api().recoverInterruptedOperations();
    assertThat(report.operations()).isEqualTo(2); // the registry's create and the group's delete
    report.finished().get(10, TimeUnit.SECONDS);

    assertThat(status(next, deleting.header("Azure-AsyncOperation"))).isEqualTo("Succeeded");
    assertThat(
            next.get(
                    "/subscriptions/" + SUB + "/resourcegroups/rg1?api-version=2021-04-01", "owner")
                .status())
        .isEqualTo(404);
  }

  @Test
  void aResourceLeftInProgressWithoutAnOperationIsSettled() throws Exception {
    // A crash between the resource's write and its operation's leaves only the resource.
    ResourceId acr = ResourceId.parse(ACR + "noop");
    ObjectNode doc = Json.object().put("id", acr.value()).put("name", "noop");
    doc.put("type", "Microsoft.ContainerRegistry/registries").put("location", "local");
    doc.putObject("properties").put("provisioningState", "InProgress");
    dead.store.put(acr, doc, Precondition.NONE);

    ArmServer next = restart();
    RecoveryReport report = next.api().recoverInterruptedOperations();
    assertThat(report.operations()).isZero();
    assertThat(report.resources()).isEqualTo(1);
    report.finished().get(10, TimeUnit.SECONDS);
    assertThat(
            next.get(ACR + "noop" + V, "owner").json().at("/properties/provisioningState").asText())
        .isEqualTo("Succeeded");
  }

  @Test
  void operationsWhoseWorkEndedBeforeTheCrashEndAsTheirResourceSays() throws Exception {
    putResource("done", "Succeeded");
    putResource("broken", "Failed");
    String succeeded = orphan("done", "WRITE");
    String failed = orphan("broken", "WRITE");
    String failedDelete = orphan("broken", "DELETE");
    String vanished = orphan("gone", "WRITE");
    String deleted = orphan("gone", "DELETE");
    String unknownType =
        orphan(
            RG + "/providers/Microsoft.Unknown/things/x", "WRITE", "Microsoft.ContainerRegistry");
    putRaw(RG + "/providers/Microsoft.Unknown/things/x", "InProgress");

    ArmServer next = restart();
    next.api().recoverInterruptedOperations().finished().get(10, TimeUnit.SECONDS);

    assertThat(status(next, succeeded)).isEqualTo("Succeeded");
    Reply f = next.get(failed, "owner");
    assertThat(f.json().path("status").asText()).isEqualTo("Failed");
    assertThat(f.json().at("/error/code").asText()).isEqualTo("InternalServerError");
    assertThat(f.json().at("/error/message").asText())
        .contains("interrupted by a restart of Berth", "reason was lost");
    Reply fd = next.get(failedDelete, "owner");
    assertThat(fd.json().path("status").asText()).isEqualTo("Failed");
    assertThat(fd.json().at("/error/message").asText())
        .contains("the delete failed before the restart");
    Reply v = next.get(vanished, "owner");
    assertThat(v.json().path("status").asText()).isEqualTo("Canceled");
    assertThat(v.json().at("/error/code").asText()).isEqualTo("ResourceNotFound");
    Reply vr = next.get(vanished.replace("/operationStatuses/", "/operationResults/"), "owner");
    assertThat(vr.status()).isEqualTo(404);
    assertThat(vr.json().at("/error/code").asText()).isEqualTo("ResourceNotFound");
    assertThat(status(next, deleted)).isEqualTo("Succeeded");
    Reply u = next.get(unknownType, "owner");
    assertThat(u.json().path("status").asText()).isEqualTo("Failed");
    assertThat(u.json().at("/error/message").asText())
        .contains("no provider serves the type 'Microsoft.Unknown/things'");
    assertThat(u.json().has("runner")).isFalse();
  }

  @Test
  void theLiveOperationsOfThisProcessAreLeftAlone() throws Exception {
    Reply created = dead.put(ACR + "mine" + V, "owner", "{\"location\":\"local\"}");
    RecoveryReport report = dead.api().recoverInterruptedOperations();
    assertThat(report.operations()).isZero();
    assertThat(report.resources()).isZero();
    assertThat(status(dead, created.header("Azure-AsyncOperation"))).isEqualTo("InProgress");
    never.countDown();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> status(dead, created.header("Azure-AsyncOperation")).equals("Failed"));
  }

  @Test
  void endedOperationsArePrunedAfterTheRetentionAndRunningOnesAreKept() throws Exception {
    Reply running = dead.put(ACR + "slow" + V, "owner", "{\"location\":\"local\"}");
    ArmServer next = restart();
    Reply created = next.put(ACR + "quick" + V, "owner", "{\"location\":\"local\"}");
    String op = created.header("Azure-AsyncOperation");
    await().atMost(Duration.ofSeconds(10)).until(() -> status(next, op).equals("Succeeded"));

    Instant now = Instant.now();
    assertThat(next.api().pruneOperations(now, Duration.ofHours(24))).isZero();
    assertThat(next.get(op, "owner").status()).isEqualTo(200);
    assertThat(next.api().pruneOperations(now.plus(Duration.ofHours(25)), Duration.ofHours(24)))
        .isEqualTo(1);
    Reply gone = next.get(op, "owner");
    assertThat(gone.status()).isEqualTo(404);
    assertThat(gone.json().at("/error/code").asText()).isEqualTo("NotFound");
    assertThat(status(next, running.header("Azure-AsyncOperation"))).isEqualTo("InProgress");
  }

  private void putResource(String name, String state) {
    putRaw(ACR + name, state);
  }

  private void putRaw(String id, String state) {
    ResourceId rid = ResourceId.parse(id);
    ObjectNode doc = Json.object().put("id", rid.value()).put("name", rid.name());
    doc.put("type", rid.type()).put("location", "local");
    doc.putObject("properties").put("provisioningState", state);
    dead.store.put(rid, doc, Precondition.NONE);
  }

  private String orphan(String name, String kind) {
    return orphan(ACR + name, kind, "Microsoft.ContainerRegistry");
  }

  /** An operation document as a dead process left it; its status URL. */
  private String orphan(String target, String kind, String namespace) {
    String name = UUID.randomUUID().toString();
    String id =
        "/subscriptions/"
            + SUB
            + "/providers/"
            + namespace
            + "/locations/local/operationStatuses/"
            + name;
    ObjectNode op =
        Json.object()
            .put("id", id)
            .put("name", name)
            .put("status", "InProgress")
            .put("startTime", Instant.now().toString())
            .put("resourceId", target)
            .put("kind", kind)
            .put("createdBy", "someone")
            .put("runner", "a-dead-process");
    dead.store.put(ResourceId.parse(id), op, Precondition.ABSENT);
    return id + V;
  }
}
