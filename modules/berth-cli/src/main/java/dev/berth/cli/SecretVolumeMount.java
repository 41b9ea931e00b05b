package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;

/**
 * az's {@code --secret-volume-mount PATH}: every secret of the app as files at {@code PATH},
 * through one {@code Secret} volume that names no secrets (so it holds them all), called {@code
 * secret-volume-<4 random>} as az calls it. On a container that already mounts one volume, that
 * volume must be a secret one and its mount moves to {@code PATH}; more than one is refused, as az
 * refuses it (azure-cli-extensions, containerapp {@code update_containerapp_logic}).
 */
final class SecretVolumeMount {

  private static final String CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private SecretVolumeMount() {}

  /**
   * Mounts the app's secrets at {@code path} in {@code container}.
   *
   * @param volumes the template's volumes, as they will be sent (a new volume is added to it)
   */
  static void apply(ArrayNode volumes, ObjectNode container, String path) {
    ArrayNode mounts = ContainerApps.array(container, "volumeMounts");
    if (mounts.size() > 1) {
      throw new CliFailure(
          "--secret-volume-mount works on a container with at most one volume mount; this one has "
              + mounts.size()
              + ". Give several mounts in the app's template instead.");
    }
    if (mounts.size() == 1) {
      String volume = mounts.get(0).path("volumeName").asText();
      for (JsonNode v : volumes) {
        if (v.path("name").asText().equalsIgnoreCase(volume)
            && !v.path("storageType").asText().equalsIgnoreCase("Secret")) {
          throw new CliFailure(
              "--secret-volume-mount moves a mount of a Secret volume only; '"
                  + volume
                  + "' is "
                  + v.path("storageType").asText("EmptyDir")
                  + ".");
        }
      }
      ((ObjectNode) mounts.get(0)).put("mountPath", path);
      return;
    }
    StringBuilder name = new StringBuilder("secret-volume-");
    for (int i = 0; i < 4; i++) {
      name.append(CHARS.charAt(RANDOM.nextInt(CHARS.length())));
    }
    volumes.addObject().put("name", name.toString()).put("storageType", "Secret");
    mounts.addObject().put("volumeName", name.toString()).put("mountPath", path);
  }
}
