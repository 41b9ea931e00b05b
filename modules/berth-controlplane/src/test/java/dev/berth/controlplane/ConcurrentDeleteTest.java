package dev.berth.controlplane;

import static dev.berth.controlplane.support.ArmServer.SUB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ResourceId;
import dev.berth.controlplane.support.ArmServer;
import dev.berth.controlplane.support.ArmServer.Reply;
import dev.berth.store.Precondition;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A DELETE races another write to the same resource (a PUT landing between the DELETE's read and
 * its own write, as a sweep of parallel PUTs and DELETEs showed): without {@code If-Match} the
 * client asked for no condition, so the DELETE goes on against what is there now; with one, the
 * change is the client's 412.
 */
class ConcurrentDeleteTest {

  private static final String RG = "/subscriptions/" + SUB + "/resourceGroups/rg1";
  private static final String ACR = RG + "/providers/Microsoft.ContainerRegistry/registries/racy";
  private static final String V = "?api-version=2023-07-01";

  /** Set: the next DELETE's check writes to the resource first, as a concurrent PUT would. */
  private final AtomicBoolean slipInAWrite = new AtomicBoolean();

  private ArmServer arm;

  @BeforeEach
  void start() throws Exception {
    arm =
        ArmServer.withTypes(
            store ->
                List.of(
                    ResourceType.builder("Microsoft.ContainerRegistry/registries")
                        .apiVersions("2023-07-01")
                        .longRunning(true)
                        .hooks(
                            new ResourceHooks() {
                              @Override
                              public void checkDelete(ResourceId id, ObjectNode stored) {
                                if (slipInAWrite.getAndSet(false)) {
                                  ObjectNode changed = stored.deepCopy();
                                  changed.putObject("tags").put("written", "meanwhile");
                                  store.put(id, changed, Precondition.NONE);
                                }
                              }
                            })
                        .build()));
    arm.put(RG + "?api-version=2021-04-01", "owner", "{\"location\":\"local\"}");
    assertThat(arm.put(ACR + V, "owner", "{\"location\":\"local\"}").status()).isEqualTo(201);
    arm.settled(ACR + V);
  }

  @AfterEach
  void stop() throws Exception {
    arm.close();
  }

  @Test
  void aDeleteWithoutIfMatchGoesOnWhenAnotherWriteCameBetween() throws Exception {
    slipInAWrite.set(true);

    Reply deleted = arm.send("DELETE", ACR + V, "owner", null);

    assertThat(deleted.status()).as(deleted.raw().body()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(10)).until(() -> arm.get(ACR + V, "owner").status() == 404);
  }

  @Test
  void aDeleteWithTheEtagItReadIsRefusedWhenTheResourceChangedSince() throws Exception {
    String etag = arm.get(ACR + V, "owner").raw().headers().firstValue("ETag").orElseThrow();
    slipInAWrite.set(true);

    Reply deleted = arm.send("DELETE", ACR + V, "owner", null, "If-Match", etag);

    assertThat(deleted.status()).as(deleted.raw().body()).isEqualTo(412);
    assertThat(deleted.json().at("/error/code").asText()).isEqualTo("PreconditionFailed");
    assertThat(arm.get(ACR + V, "owner").status()).isEqualTo(200);
  }
}
