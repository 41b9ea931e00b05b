package dev.berth.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The revision-scope options {@code containerapp create} and {@code update} share (az's names):
 * resources, command and args of the container, scale bounds, an HTTP scale rule and the revision
 * suffix. Mutable, filled by picocli; one per invocation.
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
      names = {"--scale-rule-name", "--srn"},
      paramLabel = "NAME",
      description =
          "An HTTP scale rule named NAME, which replaces the app's scale rules (as az's).")
  String scaleRuleName;

  @Option(
      names = {"--scale-rule-http-concurrency", "--srhc"},
      paramLabel = "N",
      description = "Concurrent requests per replica before the rule adds one (ACA's default 10).")
  Integer scaleRuleHttpConcurrency;

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
    return minReplicas != null
        || maxReplicas != null
        || scaleRuleName != null
        || scaleRuleHttpConcurrency != null;
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
    if (scaleRuleHttpConcurrency != null && scaleRuleName == null) {
      // az drops the concurrency silently without a rule name; saying so is kinder.
      throw new CliFailure("--scale-rule-http-concurrency needs --scale-rule-name.");
    }
    if (changesScale()) {
      ObjectNode scale = ContainerApps.object(template, "scale");
      if (minReplicas != null) {
        scale.put("minReplicas", minReplicas);
      }
      if (maxReplicas != null) {
        scale.put("maxReplicas", maxReplicas);
      }
      if (scaleRuleName != null) {
        scale.set("rules", httpRule());
      }
    }
    if (revisionSuffix != null) {
      template.put("revisionSuffix", revisionSuffix);
    }
  }

  /**
   * The rules array az sends: the one named HTTP rule, {@code concurrentRequests} as the string ACA
   * stores (azure-cli {@code containerapp/containerapp_decorator.py}: {@code scale_def["rules"] =
   * [scale_rule_def]}).
   */
  private ArrayNode httpRule() {
    ArrayNode rules = BerthCommand.JSON.createArrayNode();
    ObjectNode metadata =
        rules.addObject().put("name", scaleRuleName).putObject("http").putObject("metadata");
    if (scaleRuleHttpConcurrency != null) {
      metadata.put("concurrentRequests", Integer.toString(scaleRuleHttpConcurrency));
    }
    return rules;
  }

  private static ArrayNode strings(List<String> values) {
    ArrayNode array = BerthCommand.JSON.createArrayNode();
    values.forEach(array::add);
    return array;
  }
}
