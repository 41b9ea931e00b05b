package dev.berth.runtime.image.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.runtime.image.ImageConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the {@code config} object of an OCI/Docker image configuration blob into an {@link
 * ImageConfig}. Stateless.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/config.md">OCI image
 *     config</a>
 */
final class ImageConfigParser {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ImageConfigParser() {}

  static ImageConfig parse(byte[] blob) throws IOException {
    JsonNode root = JSON.readTree(blob);
    if (root == null || !root.isObject()) {
      throw new IOException("the image configuration is not a JSON object");
    }
    JsonNode config = root.path("config");
    List<String> ports = new ArrayList<>();
    config.path("ExposedPorts").fieldNames().forEachRemaining(ports::add);
    return new ImageConfig(
        strings(config.path("Entrypoint")),
        strings(config.path("Cmd")),
        strings(config.path("Env")),
        config.path("WorkingDir").asText(""),
        config.path("User").asText(""),
        ports);
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asText()));
    return values;
  }
}
