package dev.berth.controlplane.providers.app;

import static dev.berth.controlplane.providers.app.AppFixture.APPS;
import static dev.berth.controlplane.providers.app.AppFixture.RG;
import static dev.berth.controlplane.providers.app.AppFixture.V;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ResourceId;
import dev.berth.controlplane.support.ArmServer.Reply;
import dev.berth.store.Precondition;
import dev.berth.store.StoredResource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Writes that race: a DELETE reads, checks and marks a resource in one transaction, so a PUT of the
 * same app, or of an app into the environment being deleted, comes wholly before or after it. Found
 * by a sweep of parallel requests: a DELETE that sent no condition failed with 412, and an app was
 * left in a deleted environment.
 */
class ConcurrentWritesTest {

  private AppFixture f;
  private final ExecutorService pool = Executors.newFixedThreadPool(8);

  @BeforeEach
  void start() throws Exception {
    f = new AppFixture();
  }

  @AfterEach
  void stop() throws Exception {
    pool.shutdownNow();
    f.close();
  }

  @Test
  void parallelPutsAndDeletesOfOneAppAnswerNo412WhenNoConditionWasSent() throws Exception {
    List<Integer> statuses = new ArrayList<>();
    for (int round = 0; round < 4; round++) {
      assertThat(f.put("busy", AppFixture.app()).status()).isIn(200, 201);
      List<Future<Integer>> replies = new ArrayList<>();
      for (int i = 0; i < 24; i++) {
        int n = i;
        replies.add(
            pool.submit(
                () -> {
                  if (n % 2 == 0) {
                    ObjectNode body = AppFixture.app();
                    AppFixture.container(body).put("image", "localhost:5001/api:" + n);
                    return f.put("busy", body).status();
                  }
                  return f.arm.send("DELETE", APPS + "/busy" + V, "owner", null).status();
                }));
      }
      for (Future<Integer> reply : replies) {
        statuses.add(reply.get());
      }
    }

    assertThat(statuses).allSatisfy(status -> assertThat(status).isIn(200, 201, 202, 204));
  }

  @Test
  void anEnvironmentDeleteAndAnAppPutRacingLeaveNoAppInADeletedEnvironment() throws Exception {
    for (int round = 0; round < 8; round++) {
      String env = RG + "/providers/Microsoft.App/managedEnvironments/race" + round;
      assertThat(f.arm.put(env + V, "owner", "{\"location\":\"local\"}").status()).isEqualTo(201);
      f.settled(env + V);
      ObjectNode app = AppFixture.app();
      app.with("properties").put("environmentId", env);
      String name = "racer" + round;
      Callable<Reply> delete = () -> f.arm.send("DELETE", env + V, "owner", null);
      Callable<Reply> put = () -> f.put(name, app);
      Future<Reply> deleted = pool.submit(delete);
      Future<Reply> created = pool.submit(put);
      deleted.get();
      created.get();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  !f.arm
                      .get(env + V, "owner")
                      .json()
                      .at("/properties/provisioningState")
                      .asText()
                      .equals("Deleting"));

      boolean environmentGone = f.arm.get(env + V, "owner").status() == 404;
      boolean appThere = f.get(name).status() == 200;
      assertThat(environmentGone && appThere)
          .as("round %d: the environment was deleted and the app %s made in it", round, name)
          .isFalse();
    }
  }

  @Test
  void anAppIsNotPutIntoAnEnvironmentBeingDeleted() throws Exception {
    ResourceId env = ResourceId.parse(AppFixture.ENV);
    StoredResource current = f.arm.store.get(env).orElseThrow();
    ObjectNode deleting = current.body().deepCopy();
    deleting.with("properties").put("provisioningState", "Deleting");
    f.arm.store.put(env, deleting, Precondition.NONE);

    Reply r = f.put("late", AppFixture.app());

    assertThat(r.status()).as(r.raw().body()).isEqualTo(409);
    assertThat(r.json().at("/error/code").asText()).isEqualTo("Conflict");
    assertThat(r.json().at("/error/target").asText()).isEqualTo("properties.environmentId");
    assertThat(f.get("late").status()).isEqualTo(404);
  }
}
