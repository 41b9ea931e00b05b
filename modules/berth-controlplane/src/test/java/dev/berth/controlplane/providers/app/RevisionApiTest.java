package dev.berth.controlplane.providers.app;

import static dev.berth.controlplane.providers.app.AppFixture.APPS;
import static dev.berth.controlplane.providers.app.AppFixture.V;
import static dev.berth.controlplane.providers.app.AppFixture.app;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ResourceId;
import dev.berth.api.app.AppTypes;
import dev.berth.controlplane.support.ArmServer.Reply;
import dev.berth.http.Json;
import dev.berth.store.Precondition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Revisions and replicas: read-only to clients, with actions that answer JSON strings. */
class RevisionApiTest {

  private AppFixture f;
  private String revision;
  private String revisionUrl;

  @BeforeEach
  void start() throws Exception {
    f = new AppFixture();
    revision = f.put("app1", app()).json().at("/properties/latestRevisionName").asText();
    revisionUrl = APPS + "/app1/revisions/" + revision;
  }

  @AfterEach
  void stop() throws Exception {
    f.close();
  }

  @Test
  void actionsAnswerJsonStringsAndChangeTheRevision() throws Exception {
    Reply deactivate = f.arm.send("POST", revisionUrl + "/deactivate" + V, "owner", "");
    assertThat(deactivate.status()).isEqualTo(200);
    assertThat(deactivate.raw().body()).isEqualTo("\"Deactivate succeeded\"");
    assertThat(f.arm.get(revisionUrl + V, "owner").json().at("/properties/active").asBoolean())
        .isFalse();

    Reply activate = f.arm.send("POST", revisionUrl + "/activate" + V, "owner", "");
    assertThat(activate.raw().body()).isEqualTo("\"Activate succeeded\"");
    assertThat(f.arm.get(revisionUrl + V, "owner").json().at("/properties/active").asBoolean())
        .isTrue();

    Reply restart = f.arm.send("POST", revisionUrl + "/restart" + V, "owner", "");
    assertThat(restart.raw().body()).isEqualTo("\"Restart succeeded\"");
    ResourceId id = f.revisionId("app1", revision);
    assertThat(f.arm.store.get(id).orElseThrow().body().at("/berth/restartGeneration").asLong())
        .isEqualTo(1);

    assertThat(f.arm.send("POST", revisionUrl + "/explode" + V, "owner", "").status())
        .isEqualTo(404);
  }

  @Test
  void clientsCannotWriteOrDeleteRevisionsOrReplicas() throws Exception {
    assertThat(f.arm.put(revisionUrl + V, "owner", "{}").status()).isEqualTo(405);
    assertThat(f.arm.send("PATCH", revisionUrl + V, "owner", "{}").status()).isEqualTo(405);
    assertThat(f.arm.send("DELETE", revisionUrl + V, "owner", null).status()).isEqualTo(405);
    assertThat(f.arm.put(revisionUrl + "/replicas/r1" + V, "owner", "{}").status()).isEqualTo(405);
    assertThat(f.arm.store.get(f.revisionId("app1", revision))).isPresent();
  }

  @Test
  void replicasWrittenByTheReconcilerAreListedWithoutHiddenState() throws Exception {
    ResourceId replica = f.revisionId("app1", revision).child("replicas", revision + "-7d9f-x2");
    ObjectNode doc =
        Json.object()
            .put("id", replica.value())
            .put("name", replica.name())
            .put("type", AppTypes.REPLICA);
    doc.putObject("properties").put("runningState", "Running").put("address", "10.0.0.2");
    doc.putObject("berth").put("pid", 42);
    f.arm.store.put(replica, doc, Precondition.NONE);

    Reply list = f.arm.get(revisionUrl + "/replicas" + V, "owner");
    Reply one = f.arm.get(revisionUrl + "/replicas/" + replica.name() + V, "owner");

    assertThat(list.status()).isEqualTo(200);
    assertThat(list.json().path("value")).hasSize(1);
    assertThat(list.json().at("/value/0/properties/runningState").asText()).isEqualTo("Running");
    assertThat(list.json().at("/value/0").has("berth")).isFalse();
    assertThat(one.status()).isEqualTo(200);
    assertThat(one.json().has("berth")).isFalse();
    assertThat(f.arm.get(revisionUrl + "/replicas/nope" + V, "owner").status()).isEqualTo(404);
  }

  @Test
  void revisionsOfAMissingAppAre404() throws Exception {
    assertThat(f.arm.get(APPS + "/ghost/revisions" + V, "owner").status()).isEqualTo(404);
    assertThat(f.arm.get(APPS + "/app1/revisions/app1--nope" + V, "owner").status()).isEqualTo(404);
  }
}
