package dev.berth.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

  /** {@code /subscriptions/<subscription>/resourcegroups/<name>}, without an api-version. */
  static String groupId(String subscriptionPath, String name) {
    return subscriptionPath + "/resourcegroups/" + name;
  }

  /** A command on one group: knows its name and its path. */
  abstract static class GroupBase extends BerthCommand {
    @Option(
        names = {"-n", "--name"},
        required = true,
        description = "Group name.")
    String name;

    GroupBase(CliEnvironment env) {
      super(env);
    }

    String groupPath(Session session) {
      return groupId(subscriptionPath(session), name) + "?api-version=" + API_VERSION;
    }
  }

  /** {@code berth group create}. */
  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a group.")
  static final class Create extends GroupBase {
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
      print(session.arm().put(groupPath(session), body), COLUMNS);
      return 0;
    }
  }

  /** {@code berth group show}. */
  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a group.")
  static final class Show extends GroupBase {
    Show(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      Session session = session();
      print(session.arm().get(groupPath(session)), COLUMNS);
      return 0;
    }
  }

  /** {@code berth group list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List groups.")
  static final class ListGroups extends BerthCommand {
    ListGroups(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      Session session = session();
      print(
          session
              .arm()
              .list(subscriptionPath(session) + "/resourcegroups?api-version=" + API_VERSION),
          COLUMNS);
      return 0;
    }
  }

  /** {@code berth group update}: replaces the group's tags. */
  @Command(name = "update", mixinStandardHelpOptions = true, description = "Update a group.")
  static final class Update extends GroupBase {
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
      print(session.arm().patch(groupPath(session), body), COLUMNS);
      return 0;
    }
  }

  /** {@code berth group delete}: deletes a group and everything in it. */
  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a group.")
  static final class Delete extends GroupBase {
    @Mixin Confirmation confirmation = new Confirmation();

    @Option(names = "--no-wait", description = "Do not wait for the deletion to finish.")
    boolean noWait;

    Delete(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      if (!confirmation.confirmed(env, "Are you sure you want to perform this operation?")) {
        return 0;
      }
      Session session = session();
      session.arm().delete(groupPath(session), !noWait);
      return 0;
    }
  }
}
