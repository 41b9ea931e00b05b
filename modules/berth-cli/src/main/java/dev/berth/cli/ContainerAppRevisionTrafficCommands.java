package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code berth containerapp revision label add|remove} and {@code revision set-mode}: the revision
 * side of the app's traffic, changed as az does (GET, {@code listSecrets}, PUT of the whole app). A
 * label is a traffic rule's {@code label}; it gets its own host name once the ingress serves it.
 */
final class ContainerAppRevisionTrafficCommands {

  private ContainerAppRevisionTrafficCommands() {}

  /** {@code berth containerapp revision label}. */
  @Command(
      name = "label",
      mixinStandardHelpOptions = true,
      description = "Manage revision labels.",
      subcommands = {Add.class, Remove.class})
  static final class Label {}

  /** {@code berth containerapp revision label add --label L --revision R [--yes]}. */
  @Command(name = "add", mixinStandardHelpOptions = true, description = "Label a revision.")
  static final class Add extends ContainerAppRevisionCommand.OnRevision {
    @Option(names = "--label", required = true, paramLabel = "LABEL", description = "The label.")
    String label;

    @Option(
        names = {"--yes", "-y"},
        description = "Move the label when another revision has it.")
    boolean yes;

    Add(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      Session session = session();
      ObjectNode app = appForPut(session);
      ObjectNode ingress = ContainerAppIngressCommand.ingressOf(app, appName());
      new TrafficEdits(ContainerApps.array(ingress, "traffic")).addLabel(label, revision, yes);
      JsonNode result = putApp(session, app, "container app '" + appName() + "'");
      print(
          ContainerAppTrafficCommand.trafficOf(result, appName()),
          ContainerAppTrafficCommand.COLUMNS);
      return 0;
    }
  }

  /** {@code berth containerapp revision label remove --label L}. */
  @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a label.")
  static final class Remove extends ContainerAppBase.Named {
    @Option(names = "--label", required = true, paramLabel = "LABEL", description = "The label.")
    String label;

    Remove(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      Session session = session();
      ObjectNode app = appForPut(session);
      ObjectNode ingress = ContainerAppIngressCommand.ingressOf(app, name);
      new TrafficEdits(ContainerApps.array(ingress, "traffic")).removeLabel(label);
      JsonNode result = putApp(session, app, "container app '" + name + "'");
      print(ContainerAppTrafficCommand.trafficOf(result, name), ContainerAppTrafficCommand.COLUMNS);
      return 0;
    }
  }

  /** {@code berth containerapp revision set-mode --mode single|multiple}. */
  @Command(
      name = "set-mode",
      mixinStandardHelpOptions = true,
      description = "Set the revision mode: single or multiple active revisions.")
  static final class SetMode extends ContainerAppBase.Named {
    @Option(
        names = "--mode",
        required = true,
        paramLabel = "single|multiple",
        description = "single: the latest ready revision serves; multiple: traffic rules split.")
    String mode;

    SetMode(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      String m = mode.toLowerCase(Locale.ROOT);
      if (!m.equals("single") && !m.equals("multiple")) {
        throw new CliFailure("--mode is 'single' or 'multiple', not '" + mode + "'.");
      }
      Session session = session();
      ObjectNode app = appForPut(session);
      configuration(app).put("activeRevisionsMode", m.equals("single") ? "Single" : "Multiple");
      JsonNode result = putApp(session, app, "container app '" + name + "'");
      print(
          result.at("/properties/configuration/activeRevisionsMode"),
          List.of(Output.Column.of("Mode", "")));
      return 0;
    }
  }
}
