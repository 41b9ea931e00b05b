package dev.berth.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The revision-scope options {@code containerapp create} and {@code update} share (az's names):
 * resources, command and args of the container, scale bounds and the revision suffix. Mutable,
 * filled by picocli; one per invocation.
 */
final class TemplateOptions {

  @Option(
      names = "--cpu",
      paramLabel = "CORES",
      description = "CPU cores of the container, e.g. 0.5.")
  Double cpu;

  @Option(
      names = "--memory",
      paramLabel = "SIZE",
      description = "Memory of the container, e.g. 1.0Gi.")
  String memory;

  @Option(
      names = "--command",
      arity = "1..*",
      paramLabel = "ARG",
      description = "The container's command (entrypoint), replacing the image's.")
  List<String> command;

  @Option(
      names = "--args",
      arity = "1..*",
      paramLabel = "ARG",
      description = "The container's arguments, replacing the image's.")
  List<String> args;

  @Option(names = "--min-replicas", paramLabel = "N", description = "Minimum number of replicas.")
  Integer minReplicas;

  @Option(names = "--max-replicas", paramLabel = "N", description = "Maximum number of replicas.")
  Integer maxReplicas;

  @Option(
      names = "--revision-suffix",
      paramLabel = "SUFFIX",
      description = "Suffix of the new revision's name (<app>--<suffix>).")
  String revisionSuffix;

  /** True when any option that changes the container was given. */
  boolean changesContainer() {
    return cpu != null || memory != null || command != null || args != null;
  }

  /** True when any option that changes the scale was given. */
  boolean changesScale() {
    return minReplicas != null || maxReplicas != null;
  }

  /** Writes the container options into {@code container}. */
  void applyToContainer(ObjectNode container) {
    if (cpu != null || memory != null) {
      ObjectNode resources = ContainerApps.object(container, "resources");
      if (cpu != null) {
        resources.put("cpu", cpu);
      }
      if (memory != null) {
        resources.put("memory", memory);
      }
    }
    if (command != null) {
      container.set("command", strings(command));
    }
    if (args != null) {
      container.set("args", strings(args));
    }
  }

  /** Writes scale bounds and the revision suffix into {@code template} (only those given). */
  void applyToTemplate(ObjectNode template) {
    if (changesScale()) {
      ObjectNode scale = ContainerApps.object(template, "scale");
      if (minReplicas != null) {
        scale.put("minReplicas", minReplicas);
      }
      if (maxReplicas != null) {
        scale.put("maxReplicas", maxReplicas);
      }
    }
    if (revisionSuffix != null) {
      template.put("revisionSuffix", revisionSuffix);
    }
  }

  private static ArrayNode strings(List<String> values) {
    ArrayNode array = BerthCommand.JSON.createArrayNode();
    values.forEach(array::add);
    return array;
  }
}
