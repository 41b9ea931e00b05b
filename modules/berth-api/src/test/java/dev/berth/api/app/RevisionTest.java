package dev.berth.api.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ResourceId;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The status vocabulary round trip: what the reconciler writes with {@link RevisionStatus} is what
 * the control plane's operation and app view read back through {@link Revision}.
 */
class RevisionTest {

  static final ResourceId ID =
      ResourceId.parse(
          "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.App/containerApps/web"
              + "/revisions/web--v1");
  static final ObjectMapper JSON = new ObjectMapper();

  static Revision written(RevisionStatus status, Optional<String> error) {
    ObjectNode doc = JSON.createObjectNode();
    ObjectNode p = doc.putObject("properties").put("provisioningError", "an older one");
    status.writeTo(p, error);
    return Revision.of(ID, doc);
  }

  @ParameterizedTest
  @EnumSource(RevisionStatus.class)
  void eachStatusReadsBackAsTheWordsItWrote(RevisionStatus status) {
    Revision revision = written(status, Optional.empty());

    assertThat(revision.provisioningState()).contains(status.provisioningState());
    assertThat(revision.runningState()).contains(status.runningState());
    assertThat(revision.healthState()).contains(status.healthState());
    assertThat(revision.provisioningError()).isEmpty();
    assertThat(revision.isRunning()).isEqualTo(status == RevisionStatus.RUNNING);
    assertThat(revision.hasFailed())
        .isEqualTo(status == RevisionStatus.FAILED || status == RevisionStatus.CRASH_LOOPING);
    assertThat(revision.isProvisioning()).isEqualTo(status == RevisionStatus.PROVISIONING);
  }

  @Test
  void theWordsAreContainerAppsAndAFailureCarriesItsError() {
    ObjectNode p = JSON.createObjectNode();
    RevisionStatus.FAILED.writeTo(p, Optional.of("pull refused"));

    assertThat(p.toString())
        .isEqualTo(
            "{\"provisioningState\":\"Failed\",\"runningState\":\"Failed\","
                + "\"healthState\":\"Unhealthy\",\"provisioningError\":\"pull refused\"}");
    RevisionStatus.RUNNING.writeTo(p);
    assertThat(p.toString())
        .isEqualTo(
            "{\"provisioningState\":\"Provisioned\",\"runningState\":\"Running\","
                + "\"healthState\":\"Healthy\"}");
  }

  @Test
  void readsTheRestOfTheRevision() throws Exception {
    Revision revision =
        Revision.of(
            ID,
            JSON.readTree(
                """
                {"properties":{"createdTime":"2026-01-02T03:04:05Z","active":false,
                  "template":{"containers":[{"name":"api","image":"a:1"}]}},
                 "berth":{"restartGeneration":3}}
                """));

    assertThat(revision.name()).isEqualTo("web--v1");
    assertThat(revision.active()).isFalse();
    assertThat(revision.restartGeneration()).isEqualTo(3);
    assertThat(revision.createdTime()).contains(Instant.parse("2026-01-02T03:04:05Z"));
    assertThat(revision.template().containers())
        .extracting(Container::image)
        .containsExactly("a:1");
    Revision bare = Revision.of(ID, JSON.readTree("{\"properties\":{\"createdTime\":\"now\"}}"));
    assertThat(bare.active()).isTrue();
    assertThat(bare.restartGeneration()).isZero();
    assertThat(bare.createdTime()).isEmpty();
    assertThat(bare.provisioningState()).isEmpty();
    assertThat(bare.isRunning()).isFalse();
  }
}
