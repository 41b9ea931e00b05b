package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** az's rules for --secret-volume-mount on a container that mounts volumes already. */
class SecretVolumeMountTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aContainersOneSecretMountMovesAndNoVolumeIsAdded() throws Exception {
    ArrayNode volumes = (ArrayNode) JSON.readTree("[{\"name\":\"s\",\"storageType\":\"Secret\"}]");
    ObjectNode container =
        (ObjectNode)
            JSON.readTree("{\"volumeMounts\":[{\"volumeName\":\"s\",\"mountPath\":\"/a\"}]}");

    SecretVolumeMount.apply(volumes, container, "/b");

    assertThat(volumes).hasSize(1);
    assertThat(container.at("/volumeMounts/0/mountPath").asText()).isEqualTo("/b");
  }

  @Test
  void aMountOfAnotherKindOrSeveralMountsAreRefused() throws Exception {
    ArrayNode volumes =
        (ArrayNode) JSON.readTree("[{\"name\":\"e\",\"storageType\":\"EmptyDir\"}]");
    ObjectNode one =
        (ObjectNode)
            JSON.readTree("{\"volumeMounts\":[{\"volumeName\":\"e\",\"mountPath\":\"/a\"}]}");
    ObjectNode two =
        (ObjectNode)
            JSON.readTree(
                "{\"volumeMounts\":[{\"volumeName\":\"e\",\"mountPath\":\"/a\"},"
                    + "{\"volumeName\":\"e\",\"mountPath\":\"/c\"}]}");

    assertThatThrownBy(() -> SecretVolumeMount.apply(volumes, one, "/b"))
        .isInstanceOf(CliFailure.class)
        .hasMessageContaining("'e' is EmptyDir");
    assertThatThrownBy(() -> SecretVolumeMount.apply(volumes, two, "/b"))
        .isInstanceOf(CliFailure.class)
        .hasMessageContaining("at most one volume mount");
  }
}
