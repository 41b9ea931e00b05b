package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code berth acr network-rule}: the registry's IP rules ({@code networkRuleSet.ipRules}), changed
 * by reading the registry and PATCHing the whole rule set back, as az does.
 */
@Command(
    name = "network-rule",
    mixinStandardHelpOptions = true,
    description = "Manage the registry's IP rules.",
    subcommands = {
      AcrNetworkRuleCommand.Add.class,
      AcrNetworkRuleCommand.ListRules.class,
      AcrNetworkRuleCommand.Remove.class
    })
final class AcrNetworkRuleCommand {

  static final List<Output.Column> RULE_COLUMNS =
      List.of(Output.Column.of("Action", "/action"), Output.Column.of("Value", "/value"));

  private AcrNetworkRuleCommand() {}

  /** A copy of the registry's rule set, with ARM's defaults when it has none. */
  static ObjectNode ruleSet(JsonNode registry) {
    JsonNode current = registry.path("properties").path("networkRuleSet");
    ObjectNode rules =
        current.isObject()
            ? ((ObjectNode) current).deepCopy()
            : BerthCommand.JSON.createObjectNode();
    if (!rules.hasNonNull("defaultAction")) {
      rules.put("defaultAction", "Allow");
    }
    if (!rules.path("ipRules").isArray()) {
      rules.putArray("ipRules");
    }
    return rules;
  }

  /** PATCHes a rule set into the registry and prints the registry. */
  abstract static class RuleBase extends AcrBase {
    @Mixin ByName registry = new ByName();

    @Option(
        names = "--ip-address",
        required = true,
        paramLabel = "IP_OR_CIDR",
        description = "An IPv4 address or CIDR range.")
    String ip;

    RuleBase(CliEnvironment env) {
      super(env);
    }

    abstract void change(ArrayNode ipRules);

    @Override
    int run() {
      Session session = session();
      String id = registryId(session, registry);
      ObjectNode rules = ruleSet(session.arm().get(at(id)));
      change((ArrayNode) rules.get("ipRules"));
      ObjectNode body = JSON.createObjectNode();
      body.putObject("properties").set("networkRuleSet", rules);
      print(session.arm().patch(at(id), body), REGISTRY_COLUMNS);
      return 0;
    }
  }

  /** {@code berth acr network-rule add}: appends an Allow rule (once). */
  @Command(name = "add", mixinStandardHelpOptions = true, description = "Allow an IP or range.")
  static final class Add extends RuleBase {
    Add(CliEnvironment env) {
      super(env);
    }

    @Override
    void change(ArrayNode ipRules) {
      for (JsonNode rule : ipRules) {
        if (rule.path("value").asText().equalsIgnoreCase(ip)) {
          return;
        }
      }
      ipRules.addObject().put("action", "Allow").put("value", ip);
    }
  }

  /** {@code berth acr network-rule remove}. */
  @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove an IP rule.")
  static final class Remove extends RuleBase {
    Remove(CliEnvironment env) {
      super(env);
    }

    @Override
    void change(ArrayNode ipRules) {
      for (int i = ipRules.size() - 1; i >= 0; i--) {
        if (ipRules.get(i).path("value").asText().equalsIgnoreCase(ip)) {
          ipRules.remove(i);
        }
      }
    }
  }

  /** {@code berth acr network-rule list}: prints {@code {"ipRules":[…]}} like az. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the IP rules.")
  static final class ListRules extends AcrBase {
    @Mixin ByName registry = new ByName();

    ListRules(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      Session session = session();
      ObjectNode rules = ruleSet(registry(session, registry));
      if (global.output == GlobalOptions.OutputFormat.table) {
        print(rules.get("ipRules"), RULE_COLUMNS);
      } else {
        ObjectNode result = JSON.createObjectNode();
        result.set("ipRules", rules.get("ipRules"));
        print(result, RULE_COLUMNS);
      }
      return 0;
    }
  }
}
