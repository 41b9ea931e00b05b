package dev.berth.controlplane.providers.app;

import static dev.berth.controlplane.providers.app.AppFixture.APPS;
import static dev.berth.controlplane.providers.app.AppFixture.V;
import static dev.berth.controlplane.providers.app.AppFixture.app;
import static dev.berth.controlplane.providers.app.AppFixture.configuration;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.controlplane.support.ArmServer.Reply;
import dev.berth.http.Json;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each revision reports the share of traffic it really gets ({@code trafficWeight}, on GET and in
 * lists), and a revision that still gets some cannot be deactivated.
 */
class TrafficWeightTest {

  private AppFixture f;

  @BeforeEach
  void start() throws Exception {
    f = new AppFixture();
  }

  @AfterEach
  void stop() throws Exception {
    f.close();
  }

  /** app1 with revision v1 running, in {@code mode}, with ingress. */
  private void v1(String mode) throws Exception {
    ObjectNode body = app();
    ((ObjectNode) body.at("/properties/template")).put("revisionSuffix", "v1");
    configuration(body).put("activeRevisionsMode", mode);
    configuration(body).putObject("ingress").put("targetPort", 80).put("external", true);
    assertThat(f.put("app1", body).status()).isEqualTo(201);
    f.running("app1", "app1--v1");
    f.arm.settled(APPS + "/app1" + V);
  }

  /** PUTs v2 with rules v1=20, latest=80. */
  private void v2WithTwentyEighty() throws Exception {
    ObjectNode body = f.get("app1").json().deepCopy();
    ((ObjectNode) body.at("/properties/template")).put("revisionSuffix", "v2");
    ArrayNode traffic =
        ((ObjectNode) body.at("/properties/configuration/ingress")).putArray("traffic");
    traffic.addObject().put("revisionName", "app1--v1").put("weight", 20);
    traffic.addObject().put("latestRevision", true).put("weight", 80);
    Reply r = f.put("app1", body);
    assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
  }

  private Map<String, Integer> listed() throws Exception {
    Map<String, Integer> out = new HashMap<>();
    for (JsonNode r : f.arm.get(APPS + "/app1/revisions" + V, "owner").json().path("value")) {
      out.put(r.path("name").asText(), r.at("/properties/trafficWeight").asInt(-1));
    }
    return out;
  }

  private int shown(String revision) throws Exception {
    return f.arm
        .get(APPS + "/app1/revisions/" + revision + V, "owner")
        .json()
        .at("/properties/trafficWeight")
        .asInt(-1);
  }

  @Test
  void latestRevisionWeightMovesOnlyOnceTheNewRevisionRuns() throws Exception {
    v1("Multiple");
    assertThat(listed()).isEqualTo(Map.of("app1--v1", 100));

    v2WithTwentyEighty();
    // v2 provisions: the latest ready revision is still v1, which keeps both shares
    assertThat(listed()).isEqualTo(Map.of("app1--v1", 100, "app1--v2", 0));

    f.running("app1", "app1--v2");
    assertThat(listed()).isEqualTo(Map.of("app1--v1", 20, "app1--v2", 80));
    assertThat(shown("app1--v1")).isEqualTo(20);
    assertThat(shown("app1--v2")).isEqualTo(80);
  }

  @Test
  void singleModeGivesTheLatestReadyRevisionAllTraffic() throws Exception {
    v1("Single");
    ObjectNode body = f.get("app1").json().deepCopy();
    ((ObjectNode) body.at("/properties/template")).put("revisionSuffix", "v2");
    assertThat(f.put("app1", body).status()).isEqualTo(200);

    assertThat(listed()).isEqualTo(Map.of("app1--v1", 100, "app1--v2", 0));
    f.running("app1", "app1--v2");
    assertThat(listed()).isEqualTo(Map.of("app1--v1", 0, "app1--v2", 100));
  }

  @Test
  void aRevisionWithTrafficCannotBeDeactivatedUntilItsTrafficMoves() throws Exception {
    v1("Multiple");
    v2WithTwentyEighty();
    f.running("app1", "app1--v2");
    String deactivate = APPS + "/app1/revisions/app1--v1/deactivate" + V;

    Reply refused = f.arm.send("POST", deactivate, "owner", "");

    assertThat(refused.status()).as(refused.raw().body()).isEqualTo(400);
    assertThat(refused.json().at("/error/code").asText()).isEqualTo("BadRequest");
    assertThat(refused.json().at("/error/message").asText())
        .contains("receives 20%")
        .contains("Move its traffic to other revisions first");
    assertThat(
            f.arm
                .get(APPS + "/app1/revisions/app1--v1" + V, "owner")
                .json()
                .at("/properties/active")
                .asBoolean())
        .isTrue();

    ObjectNode patch = Json.object();
    patch
        .putObject("properties")
        .putObject("configuration")
        .putObject("ingress")
        .putArray("traffic")
        .addObject()
        .put("latestRevision", true)
        .put("weight", 100);
    Reply moved = f.arm.send("PATCH", APPS + "/app1" + V, "owner", patch.toString());
    assertThat(moved.status()).as(moved.raw().body()).isIn(200, 202);
    f.arm.settled(APPS + "/app1" + V);
    assertThat(listed()).isEqualTo(Map.of("app1--v1", 0, "app1--v2", 100));

    Reply done = f.arm.send("POST", deactivate, "owner", "");
    assertThat(done.status()).as(done.raw().body()).isEqualTo(200);
  }
}
