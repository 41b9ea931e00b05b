package dev.berth.controlplane.providers.app.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks {@code properties.template}, the revision-scope settings, and fills the defaults a
 * revision records: containers (at least one; each with a unique name and an image; cpu 0.25–4 with
 * memory such as {@code 1Gi} or {@code 512Mi}, default 0.5 / 1Gi), env entries (a value or a secret
 * the app defines), probes (Liveness, Readiness, Startup, each with an httpGet or tcpSocket port),
 * volumes and their mounts ({@link AppVolumes}) and scale ({@link AppScale}). Init containers are
 * refused: Berth does not run them yet, and storing them unrun would be worse. Stateless.
 *
 * @see <a href="https://learn.microsoft.com/azure/container-apps/containers">Containers in Azure
 *     Container Apps</a>
 */
final class AppTemplate {

  private static final Pattern MEMORY = Pattern.compile("\\d+(\\.\\d+)?(Gi|Mi)");
  private static final Set<String> PROBE_TYPES = Set.of("Liveness", "Readiness", "Startup");
  private static final String NUL =
      "it holds a NUL character, which a process's arguments and environment cannot";

  private AppTemplate() {}

  static void apply(ObjectNode props, Set<String> secrets) {
    ObjectNode template = Fields.object(props, "template", "properties.template");
    ArrayNode containers = Fields.array(template, "containers", "properties.template.containers");
    if (containers.isEmpty()) {
      throw Fields.invalid(
          "template.containers", "a container app needs at least one container (name and image)");
    }
    if (!Fields.array(template, "initContainers", "properties.template.initContainers").isEmpty()) {
      throw Fields.invalid(
          "template.initContainers",
          "Berth does not run init containers yet; do the set-up in the container's own command"
              + " before it starts the app");
    }
    template.remove("initContainers");
    Set<String> volumes = AppVolumes.volumes(template, secrets);
    checkContainers(containers, new HashSet<>(), secrets, volumes);
    AppScale.apply(Fields.object(template, "scale", "properties.template.scale"));
    AppLimits.template(template);
  }

  private static void checkContainers(
      ArrayNode list, Set<String> names, Set<String> secrets, Set<String> volumes) {
    for (int i = 0; i < list.size(); i++) {
      String path = "properties.template.containers[" + i + "]";
      ObjectNode c = Fields.element(list.get(i), path);
      String name = Fields.text(c, "name", path + ".name");
      if (name.isEmpty()) {
        throw Fields.invalid("template.containers[" + i + "].name", "a container needs a name");
      }
      String field = "template.containers." + name;
      if (!names.add(name)) {
        throw Fields.invalid(field, "the container name '" + name + "' is used more than once");
      }
      if (Fields.text(c, "image", path + ".image").isBlank()) {
        throw Fields.invalid(field + ".image", "a container needs an image");
      }
      resources(c, field, path);
      processStrings(c, "command", field, path);
      processStrings(c, "args", field, path);
      env(c, field, path, secrets);
      AppVolumes.mounts(c, field, path, volumes);
      probes(c, field, path);
    }
  }

  private static void resources(ObjectNode c, String field, String path) {
    ObjectNode r = Fields.object(c, "resources", path + ".resources");
    JsonNode cpu = r.get("cpu");
    String memory = Fields.text(r, "memory", path + ".resources.memory");
    boolean hasCpu = cpu != null && !cpu.isNull();
    if (!hasCpu && memory.isEmpty()) {
      r.put("cpu", 0.5).put("memory", "1Gi");
      return;
    }
    if (!hasCpu || memory.isEmpty()) {
      throw Fields.invalid(
          field + ".resources", "cpu and memory must be given together, such as 0.5 and '1Gi'");
    }
    double cores;
    if (cpu.isNumber()) {
      cores = cpu.asDouble();
    } else if (cpu.isTextual() && cpu.asText().matches("\\d+(\\.\\d+)?")) {
      cores = Double.parseDouble(cpu.asText());
    } else {
      throw Fields.schema(path + ".resources.cpu");
    }
    if (cores < 0.25 || cores > 4) {
      throw Fields.invalid(field + ".resources.cpu", "cpu must be between 0.25 and 4 cores");
    }
    if (!MEMORY.matcher(memory).matches()) {
      throw Fields.invalid(
          field + ".resources.memory",
          "memory '" + memory + "' must be a quantity such as '0.5Gi', '1Gi' or '512Mi'");
    }
    r.put("cpu", cores); // one JSON form, so that 1 and 1.0 compare equal between revisions
  }

  /**
   * {@code command} or {@code args}: strings, none with a NUL (the process gets them as C strings;
   * runc would fail to start it). Dropped when empty, as an absent list.
   */
  private static void processStrings(ObjectNode c, String name, String field, String path) {
    ArrayNode list = Fields.array(c, name, path + "." + name);
    for (int i = 0; i < list.size(); i++) {
      JsonNode item = list.get(i);
      if (!item.isTextual()) {
        throw Fields.schema(path + "." + name + "[" + i + "]");
      }
      if (item.asText().indexOf('\0') >= 0) {
        throw Fields.invalid(field + "." + name + "[" + i + "]", NUL);
      }
    }
    if (list.isEmpty()) {
      c.remove(name);
    }
  }

  private static void env(ObjectNode c, String field, String path, Set<String> secrets) {
    ArrayNode env = Fields.array(c, "env", path + ".env");
    for (int i = 0; i < env.size(); i++) {
      String p = path + ".env[" + i + "]";
      ObjectNode e = Fields.element(env.get(i), p);
      String name = Fields.text(e, "name", p + ".name");
      if (name.isEmpty()) {
        throw Fields.invalid(field + ".env", "every env entry needs a name");
      }
      String ref = Fields.text(e, "secretRef", p + ".secretRef");
      if (!ref.isEmpty() && !secrets.contains(ref)) {
        throw Fields.invalid(
            field + ".env." + name + ".secretRef",
            "the secret '" + ref + "' is not defined in configuration.secrets");
      }
      if (ref.isEmpty() && e.get("value") != null && !e.get("value").isNull()) {
        String value = Fields.text(e, "value", p + ".value");
        if (value.indexOf('\0') >= 0) {
          throw Fields.invalid(field + ".env." + name + ".value", NUL);
        }
      }
    }
    if (env.isEmpty()) {
      c.remove("env");
    }
  }

  private static void probes(ObjectNode c, String field, String path) {
    ArrayNode probes = Fields.array(c, "probes", path + ".probes");
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < probes.size(); i++) {
      String p = path + ".probes[" + i + "]";
      ObjectNode probe = Fields.element(probes.get(i), p);
      String type = Fields.text(probe, "type", p + ".type");
      String canonical =
          PROBE_TYPES.stream().filter(t -> t.equalsIgnoreCase(type)).findFirst().orElse(null);
      if (canonical == null) {
        throw Fields.invalid(
            field + ".probes",
            "the probe type '" + type + "' is not one of Liveness, Readiness, Startup");
      }
      if (!seen.add(canonical)) {
        throw Fields.invalid(field + ".probes", "more than one " + canonical + " probe");
      }
      probe.put("type", canonical);
      boolean http = probe.hasNonNull("httpGet");
      boolean tcp = probe.hasNonNull("tcpSocket");
      if (http == tcp) {
        throw Fields.invalid(
            field + ".probes." + canonical, "a probe needs exactly one of httpGet and tcpSocket");
      }
      String kind = http ? "httpGet" : "tcpSocket";
      JsonNode port = Fields.object(probe, kind, p + "." + kind).path("port");
      if (!port.canConvertToInt() || port.asInt() < 1 || port.asInt() > 65535) {
        throw Fields.invalid(
            field + ".probes." + canonical + "." + kind + ".port",
            "the port must be a number between 1 and 65535");
      }
    }
    if (probes.isEmpty()) {
      c.remove("probes");
    }
  }
}
