package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code berth containerapp diagnose -n APP -g RG [--revision R]}: why the app's revisions cannot
 * pull their images, from the app's {@code detectors/imagePullFailures} resource. {@code -o json}
 * (the default) prints the structured form — per revision: {@code healthy}, each finding's {@code
 * code}, {@code resources}, {@code cause}, {@code explanation} and {@code fix.berth} / {@code
 * fix.az} commands, and {@code retry}; {@code -o table} one row per finding. The diagnosis'
 * sentences go to standard error either way, for people. Exits 0 whether or not something is wrong
 * (the answer is the output).
 */
@Command(
    name = "diagnose",
    mixinStandardHelpOptions = true,
    description = "Diagnose why a container app's revisions cannot pull their images.")
final class ContainerAppDiagnoseCommand extends ContainerAppBase.Named {

  static final List<Output.Column> COLUMNS =
      List.of(
          Output.Column.of("Revision", "/revision"),
          Output.Column.of("Code", "/code"),
          Output.Column.of("Cause", "/cause"),
          Output.Column.of("Fix", "/fix"));

  @Option(names = "--revision", paramLabel = "REVISION", description = "Only this revision.")
  String revision;

  ContainerAppDiagnoseCommand(CliEnvironment env) {
    super(env);
  }

  @Override
  int run() {
    Session session = session();
    String path =
        ContainerApps.at(appId(session), "detectors/imagePullFailures")
            + (revision == null ? "" : "&revisionName=" + query(revision));
    JsonNode detector = session.arm().get(path);
    JsonNode revisions = detector.at("/properties/berthDiagnosis/revisions");
    if (revisions.isEmpty()) {
      printErr(detector.at("/properties/status/message").asText("No revision to diagnose."));
    }
    for (JsonNode r : revisions) {
      printErr(
          r.path("revision").asText()
              + ": "
              + (r.path("healthy").asBoolean() ? "nothing is wrong." : r.path("text").asText()));
    }
    print(revisions, COLUMNS, rows(revisions));
    return 0;
  }

  private void print(JsonNode revisions, List<Output.Column> columns, ArrayNode rows) {
    print(global.output == GlobalOptions.OutputFormat.table ? rows : revisions, columns);
  }

  /** One row per finding, for {@code -o table}. */
  private static ArrayNode rows(JsonNode revisions) {
    ArrayNode rows = JSON.createArrayNode();
    for (JsonNode r : revisions) {
      for (JsonNode f : r.path("findings")) {
        rows.addObject()
            .put("revision", r.path("revision").asText())
            .put("code", f.path("code").asText())
            .put("cause", f.path("cause").asText())
            .put("fix", String.join(" && ", texts(f.path("fix").path("berth"))));
      }
      if (r.path("findings").isEmpty()) {
        rows.addObject()
            .put("revision", r.path("revision").asText())
            .put("code", r.path("healthy").asBoolean() ? "NONE" : "NO_CAUSE_FOUND")
            .put(
                "cause",
                r.path("healthy").asBoolean() ? "nothing is wrong" : r.path("text").asText())
            .put("fix", r.path("retry").path("berth").asText(""));
      }
    }
    return rows;
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(a -> out.add(a.asText()));
    return out;
  }
}
