package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code berth containerapp revision}: an app's revisions ({@code …/containerApps/{app}/revisions})
 * and their actions. Commands that take {@code --revision} find the app from the revision's name
 * when {@code -n} is omitted, as az does.
 */
@Command(
    name = "revision",
    mixinStandardHelpOptions = true,
    description = "Manage a container app's revisions.",
    subcommands = {
      ContainerAppRevisionCommand.ListRevisions.class,
      ContainerAppRevisionCommand.Show.class,
      ContainerAppRevisionCommand.Activate.class,
      ContainerAppRevisionCommand.Deactivate.class,
      ContainerAppRevisionCommand.Restart.class,
      ContainerAppRevisionCommand.Copy.class,
      ContainerAppRevisionTrafficCommands.Label.class,
      ContainerAppRevisionTrafficCommands.SetMode.class
    })
final class ContainerAppRevisionCommand {

  static final List<Output.Column> COLUMNS =
      List.of(
          Output.Column.of("Name", "/name"),
          Output.Column.of("Active", "/properties/active"),
          Output.Column.of("TrafficWeight", "/properties/trafficWeight"),
          Output.Column.of("Replicas", "/properties/replicas"),
          Output.Column.of("HealthState", "/properties/healthState"),
          Output.Column.of("ProvisioningState", "/properties/provisioningState"),
          Output.Column.of("RunningState", "/properties/runningState"),
          Output.Column.of("CreatedTime", "/properties/createdTime"));

  /** A command on one revision: {@code --revision}, and {@code -n} or the app from its name. */
  abstract static class OnRevision extends ContainerAppBase {
    @Option(
        names = {"-n", "--name"},
        description = "Container app name (default: taken from the revision's name).")
    String name;

    @Option(
        names = "--revision",
        required = true,
        paramLabel = "REVISION",
        description = "Revision name.")
    String revision;

    OnRevision(CliEnvironment env) {
      super(env);
    }

    @Override
    String appName() {
      return name != null ? name : RevisionNames.appOf(revision);
    }

    String revisionId(Session session) {
      return appId(session) + "/revisions/" + revision;
    }
  }

  /** {@code berth containerapp revision list}: the active revisions, or all with {@code --all}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List revisions.")
  static final class ListRevisions extends ContainerAppBase.Named {
    @Option(names = "--all", description = "Include inactive revisions.")
    boolean all;

    ListRevisions(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      Session session = session();
      ArrayNode revisions = session.arm().list(ContainerApps.at(appId(session), "revisions"));
      ArrayNode shown = JSON.createArrayNode();
      for (JsonNode r : revisions) {
        if (all || r.at("/properties/active").asBoolean(false)) {
          shown.add(r);
        }
      }
      print(shown, COLUMNS);
      return 0;
    }
  }

  /** {@code berth containerapp revision show}. */
  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a revision.")
  static final class Show extends OnRevision {
    Show(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      Session session = session();
      print(session.arm().get(ContainerApps.at(revisionId(session))), COLUMNS);
      return 0;
    }
  }

  /** A POST action on a revision; prints the server's answer (a JSON string, as ACA's). */
  abstract static class Action extends OnRevision {
    Action(CliEnvironment env) {
      super(env);
    }

    abstract String action();

    @Override
    int run() {
      Session session = session();
      JsonNode answer = session.arm().post(ContainerApps.at(revisionId(session), action()), null);
      print(answer, List.of(Output.Column.of("Result", "")));
      return 0;
    }
  }

  /** {@code berth containerapp revision activate}. */
  @Command(name = "activate", mixinStandardHelpOptions = true, description = "Activate a revision.")
  static final class Activate extends Action {
    Activate(CliEnvironment env) {
      super(env);
    }

    @Override
    String action() {
      return "activate";
    }
  }

  /** {@code berth containerapp revision deactivate}. */
  @Command(
      name = "deactivate",
      mixinStandardHelpOptions = true,
      description = "Deactivate a revision.")
  static final class Deactivate extends Action {
    Deactivate(CliEnvironment env) {
      super(env);
    }

    @Override
    String action() {
      return "deactivate";
    }
  }

  /** {@code berth containerapp revision restart}: replicas start again, re-reading secrets. */
  @Command(name = "restart", mixinStandardHelpOptions = true, description = "Restart a revision.")
  static final class Restart extends Action {
    Restart(CliEnvironment env) {
      super(env);
    }

    @Override
    String action() {
      return "restart";
    }
  }

  /**
   * {@code berth containerapp revision copy}: a new revision from an existing one's template (or
   * the app's current one), with the changes given; the app is PUT back whole with that template.
   */
  @Command(
      name = "copy",
      mixinStandardHelpOptions = true,
      description = "Create a revision from an existing one.")
  static final class Copy extends ContainerAppBase {
    @Option(
        names = {"-n", "--name"},
        description = "Container app name (default: taken from --from-revision).")
    String name;

    @Option(
        names = "--from-revision",
        paramLabel = "REVISION",
        description = "Revision to copy (default: the app's current template).")
    String fromRevision;

    @Option(names = "--image", paramLabel = "IMAGE", description = "New container image.")
    String image;

    @Option(
        names = "--container-name",
        paramLabel = "NAME",
        description = "Container to change (default: the first).")
    String containerName;

    @Mixin TemplateOptions template = new TemplateOptions();

    Copy(CliEnvironment env) {
      super(env);
    }

    @Override
    String appName() {
      if (name != null) {
        return name;
      }
      if (fromRevision == null) {
        throw new CliFailure(
            "Give the app with --name, or a revision to copy with --from-revision.");
      }
      return RevisionNames.appOf(fromRevision);
    }

    @Override
    int run() {
      Session session = session();
      ObjectNode app = appForPut(session);
      JsonNode source =
          fromRevision == null
              ? app.at("/properties/template")
              : session
                  .arm()
                  .get(ContainerApps.at(appId(session) + "/revisions/" + fromRevision))
                  .at("/properties/template");
      ObjectNode copy =
          source.isObject() ? ((ObjectNode) source).deepCopy() : JSON.createObjectNode();
      // The source's suffix names an existing revision; a new one needs its own (or a generated
      // one).
      copy.remove("revisionSuffix");
      ObjectNode container = container(ContainerApps.array(copy, "containers"));
      if (image != null) {
        container.put("image", image);
      }
      template.applyToContainer(container);
      template.applyToTemplate(copy);
      ContainerApps.object(app, "properties").set("template", copy);
      JsonNode result = putApp(session, app, "container app '" + appName() + "'");
      print(ContainerApps.withResourceGroup(result), ContainerApps.APP_COLUMNS);
      return 0;
    }

    private ObjectNode container(ArrayNode containers) {
      for (JsonNode c : containers) {
        if (containerName == null || c.path("name").asText().equals(containerName)) {
          return (ObjectNode) c;
        }
      }
      throw new CliFailure(
          containerName == null
              ? "The template to copy has no containers."
              : "The template to copy has no container named '" + containerName + "'.");
    }
  }
}
