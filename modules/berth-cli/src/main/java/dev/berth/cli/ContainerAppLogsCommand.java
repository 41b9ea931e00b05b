package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code berth containerapp logs show}: one container's console or system log from Berth's log
 * stream, {@code GET {app}/revisions/{rev}/replicas/{replica}/containers/{c}/logstream
 * ?follow=&tailLines=&type=} on the management endpoint ({@code text/plain}, one line per entry,
 * held open while {@code follow}). Revision, replica and container default as in az: the latest
 * revision, its first replica, that replica's first container.
 */
@Command(
    name = "logs",
    mixinStandardHelpOptions = true,
    description = "Show a container app's logs.",
    subcommands = {ContainerAppLogsCommand.Show.class})
final class ContainerAppLogsCommand {

  /** az's {@code --type} values. */
  enum LogType {
    console,
    system
  }

  /** {@code berth containerapp logs show}. */
  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show or follow logs.")
  static final class Show extends ContainerAppBase.Named {
    /** az's bounds of {@code --tail}. */
    private static final int MAX_TAIL = 300;

    @Option(names = "--follow", description = "Keep printing new lines as they are written.")
    boolean follow;

    @Option(
        names = "--type",
        paramLabel = "TYPE",
        description = "Log type: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
        defaultValue = "console")
    LogType type = LogType.console;

    @Option(
        names = "--revision",
        paramLabel = "REVISION",
        description = "Revision (default: the latest).")
    String revision;

    @Option(
        names = "--replica",
        paramLabel = "REPLICA",
        description = "Replica (default: the first).")
    String replica;

    @Option(
        names = "--container",
        paramLabel = "CONTAINER",
        description = "Container (default: the replica's first).")
    String container;

    @Option(
        names = "--tail",
        paramLabel = "N",
        description = "Lines of history to show first, 0-300 (default: ${DEFAULT-VALUE}).",
        defaultValue = "20")
    int tail = 20;

    Show(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      if (tail < 0 || tail > MAX_TAIL) {
        throw new CliFailure("--tail must be between 0 and " + MAX_TAIL + ".");
      }
      Session session = session();
      PrintWriter out = out();
      if (type == LogType.system) {
        // The app's system events exist with no replica at all, exactly when a pull fails.
        session
            .arm()
            .streamLines(
                appId(session)
                    + "/eventstream?follow="
                    + follow
                    + "&tailLines="
                    + tail
                    + "&"
                    + ContainerApps.API_VERSION,
                line -> {
                  out.println(line);
                  out.flush();
                });
        return 0;
      }
      String rev = ContainerAppReplicaCommand.revisionOrLatest(this, session, revision);
      String revisionId = appId(session) + "/revisions/" + rev;
      JsonNode chosen = replica(session, revisionId, rev);
      String replicaName = chosen.path("name").asText();
      String containerName = container;
      if (containerName == null) {
        containerName = chosen.at("/properties/containers/0/name").asText("");
        if (containerName.isEmpty()) {
          throw new CliFailure(
              "Replica '" + replicaName + "' has no containers; give --container.");
        }
      }
      String path =
          revisionId
              + "/replicas/"
              + replicaName
              + "/containers/"
              + containerName
              + "/logstream?follow="
              + follow
              + "&tailLines="
              + tail
              + "&type="
              + type
              + "&"
              + ContainerApps.API_VERSION;
      session
          .arm()
          .streamLines(
              path,
              line -> {
                out.println(line);
                out.flush();
              });
      return 0;
    }

    /** {@code --replica} (read, to learn its containers), else the revision's first replica. */
    private JsonNode replica(Session session, String revisionId, String rev) {
      if (replica != null) {
        return session.arm().get(ContainerApps.at(revisionId, "replicas/" + replica));
      }
      JsonNode replicas = session.arm().list(ContainerApps.at(revisionId, "replicas"));
      if (replicas.isEmpty()) {
        JsonNode state = session.arm().get(ContainerApps.at(revisionId)).path("properties");
        String why =
            state.path("provisioningState").asText().equals("Failed")
                ? "its replicas could not start (" + firstLine(state) + ")"
                : "it is scaled to zero; a request to the app starts one";
        throw new CliFailure(
            "Revision '"
                + rev
                + "' has no replicas to read console logs from: "
                + why
                + ". Its system logs: berth containerapp logs show -n "
                + name
                + " -g "
                + group
                + " --type system");
      }
      return replicas.get(0);
    }

    private static String firstLine(JsonNode properties) {
      String error = properties.path("provisioningError").asText("provisioningState Failed");
      int nl = error.indexOf('\n');
      return nl < 0 ? error : error.substring(0, nl);
    }
  }
}
