package dev.berth.api.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A read-only view of a revision template ({@code properties.template} of an app or a revision):
 * its containers, its scale rule and the grace a stopping replica gets. Immutable when its node is
 * not changed.
 *
 * @param json the template as stored
 */
public record Template(JsonNode json) {

  /**
   * The replica bounds ({@code scale.minReplicas}, {@code scale.maxReplicas}); Container Apps'
   * defaults 0 and 10.
   */
  public record Scale(int minReplicas, int maxReplicas) {}

  public List<Container> containers() {
    List<Container> out = new ArrayList<>();
    json.path("containers").forEach(c -> out.add(new Container(c)));
    return out;
  }

  public Scale scale() {
    JsonNode scale = json.path("scale");
    return new Scale(scale.path("minReplicas").asInt(0), scale.path("maxReplicas").asInt(10));
  }

  /** {@code terminationGracePeriodSeconds}, 30 s when not given (Kubernetes' default). */
  public Duration terminationGracePeriod() {
    return Duration.ofSeconds(json.path("terminationGracePeriodSeconds").asLong(30));
  }
}
