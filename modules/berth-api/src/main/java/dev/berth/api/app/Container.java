package dev.berth.api.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A read-only view of one container of a template ({@code template.containers[]}): its image,
 * command, environment, resources, volume mounts and probes. Immutable when its node is not
 * changed.
 *
 * @param json the container as stored
 */
public record Container(JsonNode json) {

  /**
   * One {@code env[]} entry: a plain {@code value}, or a {@code secretRef} naming one of the app's
   * secrets.
   */
  public record EnvVar(String name, String value, Optional<String> secretRef) {}

  /**
   * One {@code probes[]} entry with Container Apps' defaults filled in (period 10 s, timeout 1 s,
   * failure threshold 3; no initial delay, where ACA's minimum is 1).
   *
   * @param type {@code Liveness}, {@code Readiness} or {@code Startup}
   * @param httpGet an {@code httpGet} probe; a {@code tcpSocket} one otherwise
   * @param port the target's port; empty when it gives none
   */
  public record Probe(
      String type,
      boolean httpGet,
      String scheme,
      String path,
      OptionalInt port,
      int timeoutSeconds,
      int periodSeconds,
      int failureThreshold,
      int initialDelaySeconds) {}

  /**
   * One {@code volumeMounts[]} entry: the template's volume {@code volumeName} at {@code
   * mountPath}, or only its {@code subPath} (empty: the whole volume).
   */
  public record VolumeMount(String volumeName, String mountPath, String subPath) {}

  /** Its name, {@code main} when it has none. */
  public String name() {
    return json.path("name").asText("main");
  }

  public String image() {
    return json.path("image").asText("");
  }

  public List<String> command() {
    return Nodes.strings(json.path("command"));
  }

  public List<String> args() {
    return Nodes.strings(json.path("args"));
  }

  public List<EnvVar> env() {
    List<EnvVar> out = new ArrayList<>();
    for (JsonNode e : json.path("env")) {
      out.add(
          new EnvVar(
              e.path("name").asText(),
              e.path("value").asText(""),
              e.hasNonNull("secretRef")
                  ? Optional.of(e.path("secretRef").asText())
                  : Optional.empty()));
    }
    return out;
  }

  public List<VolumeMount> volumeMounts() {
    List<VolumeMount> out = new ArrayList<>();
    for (JsonNode m : json.path("volumeMounts")) {
      out.add(
          new VolumeMount(
              m.path("volumeName").asText(""),
              m.path("mountPath").asText(""),
              m.path("subPath").asText("")));
    }
    return out;
  }

  /** {@code resources.cpu} in cores; 0 when not given. */
  public double cpu() {
    return json.path("resources").path("cpu").asDouble(0);
  }

  /** {@code resources.memory} as written ({@code 1Gi}, {@code 512Mi}); empty when not given. */
  public String memory() {
    return json.path("resources").path("memory").asText("");
  }

  public List<Probe> probes() {
    List<Probe> out = new ArrayList<>();
    for (JsonNode p : json.path("probes")) {
      boolean http = p.has("httpGet");
      JsonNode target = http ? p.path("httpGet") : p.path("tcpSocket");
      JsonNode port = target.path("port");
      out.add(
          new Probe(
              p.path("type").asText("Liveness"),
              http,
              target.path("scheme").asText("HTTP"),
              target.path("path").asText("/"),
              port.canConvertToInt() ? OptionalInt.of(port.asInt()) : OptionalInt.empty(),
              p.path("timeoutSeconds").asInt(1),
              p.path("periodSeconds").asInt(10),
              p.path("failureThreshold").asInt(3),
              p.path("initialDelaySeconds").asInt(0)));
    }
    return out;
  }
}
