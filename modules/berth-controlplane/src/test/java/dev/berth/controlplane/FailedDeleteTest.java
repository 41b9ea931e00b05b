package dev.berth.controlplane;

import static dev.berth.controlplane.support.ArmServer.SUB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ResourceId;
import dev.berth.controlplane.support.ArmServer;
import dev.berth.controlplane.support.ArmServer.Reply;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A long-running DELETE whose provider work throws: the operation ends {@code Failed} with the
 * error in ARM's envelope, the resource stays with {@code provisioningState} {@code Failed} (as on
 * ARM: a later DELETE may try again), and recovery after a restart does not run it again and again.
 */
class FailedDeleteTest {

  private static final String RG = "/subscriptions/" + SUB + "/resourceGroups/rg1";
  private static final String ACR = RG + "/providers/Microsoft.ContainerRegistry/registries/";
  private static final String V = "?api-version=2023-07-01";

  private final AtomicBoolean failing = new AtomicBoolean(true);
  private final AtomicInteger deletesTried = new AtomicInteger();
  private final List<ArmServer> servers = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (ArmServer s : servers) {
      s.close();
    }
  }

  /** A registry-like long-running type whose onDelete throws while {@link #failing} is set. */
  private ResourceType registries(CountDownLatch gate) {
    ResourceHooks hooks =
        new ResourceHooks() {
          @Override
          public void onDelete(ResourceId id, ObjectNode stored) throws Exception {
            gate.await();
            deletesTried.incrementAndGet();
            if (failing.get()) {
              throw new IOException("the disk said no");
            }
          }
        };
    return ResourceType.builder("Microsoft.ContainerRegistry/registries")
        .apiVersions("2023-07-01")
        .longRunning(true)
        .hooks(hooks)
        .build();
  }

  private ArmServer server(ArmServer s) throws Exception {
    servers.add(s);
    return s;
  }

  private ArmServer first(CountDownLatch gate) throws Exception {
    ArmServer arm = server(new ArmServer(List.of(registries(gate))));
    arm.put(
        "/subscriptions/" + SUB + "/resourcegroups/rg1?api-version=2021-04-01",
        "owner",
        "{\"location\":\"local\"}");
    Reply created = arm.put(ACR + "myacr" + V, "owner", "{\"location\":\"local\"}");
    assertThat(created.status()).isEqualTo(201);
    await().atMost(Duration.ofSeconds(10)).until(() -> state(arm).equals("Succeeded"));
    return arm;
  }

  private static String state(ArmServer arm) throws Exception {
    return arm.get(ACR + "myacr" + V, "owner").json().at("/properties/provisioningState").asText();
  }

  private static String path(String url) {
    return url.substring(url.indexOf("/subscriptions/"));
  }

  @Test
  void aDeleteWhoseWorkFailsEndsFailedAndTheResourceStaysForALaterDelete() throws Exception {
    ArmServer arm = first(new CountDownLatch(0));

    Reply deleting = arm.send("DELETE", ACR + "myacr" + V, "owner", null);
    assertThat(deleting.status()).isEqualTo(202);
    String op = deleting.header("Azure-AsyncOperation");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !arm.get(op, "owner").json().path("status").asText().equals("InProgress"));

    Reply status = arm.get(op, "owner");
    assertThat(status.json().path("status").asText()).isEqualTo("Failed");
    assertThat(status.json().at("/error/code").asText()).isEqualTo("InternalServerError");
    assertThat(status.json().at("/error/message").asText())
        .contains("IOException: the disk said no");
    Reply result = arm.get(deleting.header("Location"), "owner");
    assertThat(result.status()).isEqualTo(500);
    assertThat(result.json().at("/error/code").asText()).isEqualTo("InternalServerError");
    Reply stayed = arm.get(ACR + "myacr" + V, "owner");
    assertThat(stayed.status()).isEqualTo(200);
    assertThat(stayed.json().at("/properties/provisioningState").asText()).isEqualTo("Failed");

    // Once the cause is gone, a later DELETE goes through.
    failing.set(false);
    Reply again = arm.send("DELETE", ACR + "myacr" + V, "owner", null);
    assertThat(again.status()).isEqualTo(202);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> arm.get(again.header("Location"), "owner").status() == 200);
    assertThat(arm.get(ACR + "myacr" + V, "owner").status()).isEqualTo(404);
  }

  @Test
  void aDeleteThatFailsAgainWhenRecoveryResumesItIsNotResumedAtEveryStart() throws Exception {
    // The first server dies mid-delete: its onDelete never returns.
    ArmServer dead = first(new CountDownLatch(1));
    Reply deleting = dead.send("DELETE", ACR + "myacr" + V, "owner", null);
    assertThat(deleting.status()).isEqualTo(202);
    assertThat(state(dead)).isEqualTo("Deleting");

    ArmServer second =
        server(ArmServer.restartedOn(dead.store, List.of(registries(new CountDownLatch(0)))));
    RecoveryReport report = second.api().recoverInterruptedOperations();
    assertThat(report.operations()).isEqualTo(1);
    assertThat(report.resources()).isEqualTo(1);
    report.finished().get(10, TimeUnit.SECONDS);
    assertThat(deletesTried.get()).isEqualTo(1);
    Reply status = second.get(path(deleting.header("Azure-AsyncOperation")), "owner");
    assertThat(status.json().path("status").asText()).isEqualTo("Failed");
    assertThat(status.json().at("/error/message").asText())
        .contains("IOException: the disk said no");
    assertThat(state(second)).isEqualTo("Failed");

    ArmServer third =
        server(ArmServer.restartedOn(dead.store, List.of(registries(new CountDownLatch(0)))));
    RecoveryReport nothing = third.api().recoverInterruptedOperations();
    nothing.finished().get(10, TimeUnit.SECONDS);
    assertThat(nothing.operations()).isZero();
    assertThat(nothing.resources()).isZero();
    assertThat(deletesTried.get()).isEqualTo(1);
    assertThat(state(third)).isEqualTo("Failed");
  }
}
