package dev.berth.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth group}: resource groups ({@code Microsoft.Resources/resourceGroups}). */
@Command(
    name = "group",
    mixinStandardHelpOptions = true,
    description = "Manage resource groups.",
    subcommands = {
      GroupCommand.Create.class,
      GroupCommand.Show.class,
      GroupCommand.ListGroups.class,
      GroupCommand.Update.class,
      GroupCommand.Delete.class
    })
final class GroupCommand {

  static final String API_VERSION = "2021-04-01";

  static final List<Output.Column> COLUMNS =
      List.of(
          Output.Column.of("Name", "/name"),
          Output.Column.of("Location", "/location"),
          Output.Column.of("ProvisioningState", "/properties/provisioningState"));

  /** A group command: knows its session and the group's path. */
  abstract static class GroupBase extends BerthCommand {
    GroupBase(CliEnvironment env) {
      super(env);
    }

    String groupsPath(Session session) {
      return "/subscriptions/" + subscription(session) + "/resourcegroups";
    }

    String groupPath(Session session, String name) {
      return groupsPath(session) + "/" + name + "?api-version=" + API_VERSION;
    }
  }

  /** {@code berth group create}. */
  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a group.")
  static final class Create extends GroupBase {
    @Option(
        names = {"-n", "--name"},
        required = true,
        description = "Group name.")
    String name;

    @Option(
        names = {"-l", "--location"},
        defaultValue = "local",
        description = "Location (default: ${DEFAULT-VALUE}).")
    String location;

    @Option(names = "--tags", arity = "0..*", paramLabel = "KEY=VALUE", description = "Tags.")
    List<String> tags = List.of();

    Create(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      Session session = session();
      ObjectNode body = JSON.createObjectNode();
      body.put("location", location);
      body.set("tags", Tags.parse(tags));
      print(session.arm().put(groupPath(session, name), body), COLUMNS);
      return 0;
    }
  }

  /** {@code berth group show}. */
  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a group.")
  static final class Show extends GroupBase {
    @Option(
        names = {"-n", "--name"},
        required = true,
        description = "Group name.")
    String name;

    Show(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      Session session = session();
      print(session.arm().get(groupPath(session, name)), COLUMNS);
      return 0;
    }
  }

  /** {@code berth group list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List groups.")
  static final class ListGroups extends GroupBase {
    ListGroups(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      Session session = session();
      print(session.arm().list(groupsPath(session) + "?api-version=" + API_VERSION), COLUMNS);
      return 0;
    }
  }

  /** {@code berth group update}: replaces the group's tags. */
  @Command(name = "update", mixinStandardHelpOptions = true, description = "Update a group.")
  static final class Update extends GroupBase {
    @Option(
        names = {"-n", "--name"},
        required = true,
        description = "Group name.")
    String name;

    @Option(
        names = "--tags",
        arity = "0..*",
        required = true,
        paramLabel = "KEY=VALUE",
        description = "Tags replacing the current ones (\"\" clears them).")
    List<String> tags;

    Update(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      Session session = session();
      ObjectNode body = JSON.createObjectNode();
      body.set("tags", Tags.parse(tags));
      print(session.arm().patch(groupPath(session, name), body), COLUMNS);
      return 0;
    }
  }

  /** {@code berth group delete}: deletes a group and everything in it. */
  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a group.")
  static final class Delete extends GroupBase {
    @Option(
        names = {"-n", "--name"},
        required = true,
        description = "Group name.")
    String name;

    @Option(
        names = {"-y", "--yes"},
        description = "Do not prompt for confirmation.")
    boolean yes;

    @Option(names = "--no-wait", description = "Do not wait for the deletion to finish.")
    boolean noWait;

    Delete(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      if (!yes) {
        String answer =
            env.prompter()
                .ask("Are you sure you want to perform this operation? (y/n): ")
                .orElseThrow(
                    () ->
                        new CliFailure(
                            "Unable to prompt for confirmation as no tty available. Use --yes."));
        if (!answer.trim().toLowerCase().startsWith("y")) {
          return 0;
        }
      }
      Session session = session();
      session.arm().delete(groupPath(session, name), !noWait);
      return 0;
    }
  }
}
