package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code berth containerapp ingress traffic}: the app's traffic rules. {@code set} works as az's:
 * weights checked here (whole numbers 0–100, at most 100 together), label weights go to their
 * label's revision, named revisions must exist, and the rules not named share the rest so that the
 * rules add up to 100 ({@link TrafficEdits}).
 */
@Command(
    name = "traffic",
    mixinStandardHelpOptions = true,
    description = "Manage how traffic splits between revisions.",
    subcommands = {ContainerAppTrafficCommand.Set.class, ContainerAppTrafficCommand.Show.class})
final class ContainerAppTrafficCommand {

  static final List<Output.Column> COLUMNS =
      List.of(
          Output.Column.of("RevisionName", "/revisionName"),
          Output.Column.of("LatestRevision", "/latestRevision"),
          Output.Column.of("Weight", "/weight"),
          Output.Column.of("Label", "/label"));

  static JsonNode trafficOf(JsonNode app, String name) {
    return ContainerAppIngressCommand.ingressOf(app, name).path("traffic");
  }

  /** {@code berth containerapp ingress traffic set}. */
  @Command(name = "set", mixinStandardHelpOptions = true, description = "Set traffic weights.")
  static final class Set extends ContainerAppBase.Named {
    @Option(
        names = "--revision-weight",
        arity = "1..*",
        paramLabel = "REVISION=WEIGHT",
        description = "Weights by revision name; 'latest' is the latest ready revision.")
    List<String> revisionWeights;

    @Option(
        names = "--label-weight",
        arity = "1..*",
        paramLabel = "LABEL=WEIGHT",
        description = "Weights by label.")
    List<String> labelWeights;

    Set(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      if (revisionWeights == null && labelWeights == null) {
        throw new CliFailure("Give --revision-weight, --label-weight or both.");
      }
      Map<String, Integer> byRevision = TrafficEdits.weights(revisionWeights, "--revision-weight");
      Map<String, Integer> byLabel = TrafficEdits.weights(labelWeights, "--label-weight");
      Session session = session();
      ObjectNode app = appForPut(session);
      ObjectNode ingress = ContainerAppIngressCommand.ingressOf(app, name);
      if (!configuration(app)
          .path("activeRevisionsMode")
          .asText("Single")
          .equalsIgnoreCase("multiple")) {
        throw new CliFailure(
            "Container app '"
                + name
                + "' is in Single revision mode, where the latest ready revision gets all"
                + " traffic; switch with 'berth containerapp revision set-mode --mode multiple'.");
      }
      TrafficEdits edits = new TrafficEdits(ContainerApps.array(ingress, "traffic"));
      Map<String, Integer> weights = edits.withLabelWeights(byRevision, byLabel);
      for (String revision : weights.keySet()) {
        mustExist(session, revision);
      }
      edits.set(weights);
      print(trafficOf(putApp(session, app, "container app '" + name + "'"), name), COLUMNS);
      return 0;
    }

    private void mustExist(Session session, String revision) {
      if (revision.equalsIgnoreCase(TrafficEdits.LATEST)) {
        return;
      }
      ArrayNode all = session.arm().list(ContainerApps.at(appId(session), "revisions"));
      for (JsonNode r : all) {
        if (r.path("name").asText().equalsIgnoreCase(revision)) {
          return;
        }
      }
      throw new CliFailure(
          "Revision '"
              + revision
              + "' is not a revision of container app '"
              + name
              + "'; see 'berth containerapp revision list --all'.");
    }
  }

  /** {@code berth containerapp ingress traffic show}. */
  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show traffic rules.")
  static final class Show extends ContainerAppBase.Named {
    Show(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      print(trafficOf(app(session()), name), COLUMNS);
      return 0;
    }
  }
}
