package dev.berth.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth containerapp replica}: the replicas of a revision (the latest by default). */
@Command(
    name = "replica",
    mixinStandardHelpOptions = true,
    description = "Inspect a container app's replicas.",
    subcommands = {ContainerAppReplicaCommand.ListReplicas.class})
final class ContainerAppReplicaCommand {

  static final List<Output.Column> COLUMNS =
      List.of(
          Output.Column.of("Name", "/name"),
          Output.Column.of("RunningState", "/properties/runningState"),
          Output.Column.of("Address", "/properties/address"),
          Output.Column.of("RunningStateDetails", "/properties/runningStateDetails"),
          Output.Column.of("CreatedTime", "/properties/createdTime"));

  /** The revision a command means: {@code --revision}, else the app's latest. */
  static String revisionOrLatest(ContainerAppBase command, Session session, String revision) {
    if (revision != null) {
      return revision;
    }
    String latest = command.app(session).at("/properties/latestRevisionName").asText("");
    if (latest.isEmpty()) {
      throw new CliFailure(
          "Container app '" + command.appName() + "' has no revision yet; give --revision.");
    }
    return latest;
  }

  /** {@code berth containerapp replica list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List replicas.")
  static final class ListReplicas extends ContainerAppBase.Named {
    @Option(
        names = "--revision",
        paramLabel = "REVISION",
        description = "Revision (default: the latest).")
    String revision;

    ListReplicas(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      Session session = session();
      String rev = revisionOrLatest(this, session, revision);
      print(
          session.arm().list(ContainerApps.at(appId(session), "revisions/" + rev + "/replicas")),
          COLUMNS);
      return 0;
    }
  }
}
