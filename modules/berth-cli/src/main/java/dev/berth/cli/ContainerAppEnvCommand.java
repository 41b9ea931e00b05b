package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code berth containerapp env}: managed environments ({@code Microsoft.App/managedEnvironments}).
 */
@Command(
    name = "env",
    mixinStandardHelpOptions = true,
    description = "Manage container apps environments.",
    subcommands = {
      ContainerAppEnvCommand.Create.class,
      ContainerAppEnvCommand.Show.class,
      ContainerAppEnvCommand.ListEnvironments.class,
      ContainerAppEnvCommand.Delete.class
    })
final class ContainerAppEnvCommand {

  static final List<Output.Column> COLUMNS =
      List.of(
          Output.Column.of("Name", "/name"),
          Output.Column.of("Location", "/location"),
          Output.Column.of("ResourceGroup", "/resourceGroup"),
          Output.Column.of("DefaultDomain", "/properties/defaultDomain"),
          Output.Column.of("StaticIp", "/properties/staticIp"),
          Output.Column.of("ProvisioningState", "/properties/provisioningState"));

  /** A command on one environment: knows its name, group and path. */
  abstract static class EnvBase extends BerthCommand {
    @Option(
        names = {"-n", "--name"},
        required = true,
        description = "Environment name.")
    String name;

    @Option(
        names = {"-g", "--resource-group"},
        required = true,
        description = "Resource group.")
    String group;

    EnvBase(CliEnvironment env) {
      super(env);
    }

    String envPath(Session session) {
      return ContainerApps.at(ContainerApps.environmentId(subscriptionPath(session), group, name));
    }
  }

  /** {@code berth containerapp env create}: a Consumption-only environment, as az makes. */
  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create an environment.")
  static final class Create extends EnvBase {
    @Option(
        names = {"-l", "--location"},
        description = "Location (default: the resource group's).")
    String location;

    @Option(names = "--tags", arity = "0..*", paramLabel = "KEY=VALUE", description = "Tags.")
    List<String> tags = List.of();

    @Option(names = "--no-wait", description = "Do not wait for the operation to finish.")
    boolean noWait;

    Create(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      Session session = session();
      String where = location;
      if (where == null || where.isBlank()) {
        where =
            session
                .arm()
                .get(
                    ContainerApps.groupId(subscriptionPath(session), group)
                        + "?api-version="
                        + GroupCommand.API_VERSION)
                .path("location")
                .asText();
      }
      ObjectNode body = JSON.createObjectNode();
      body.put("location", where);
      if (!tags.isEmpty()) {
        body.set("tags", Tags.parse(tags));
      }
      body.putObject("properties")
          .putArray("workloadProfiles")
          .addObject()
          .put("name", "Consumption")
          .put("workloadProfileType", "Consumption");
      JsonNode result =
          session
              .arm()
              .withProgress(WaitProgress.of(this::printErr, "environment '" + name + "'"))
              .put(envPath(session), body, !noWait);
      print(ContainerApps.withResourceGroup(result), COLUMNS);
      return 0;
    }
  }

  /** {@code berth containerapp env show}. */
  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show an environment.")
  static final class Show extends EnvBase {
    Show(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      Session session = session();
      print(ContainerApps.withResourceGroup(session.arm().get(envPath(session))), COLUMNS);
      return 0;
    }
  }

  /** {@code berth containerapp env list}: in a group, or in the whole subscription. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List environments.")
  static final class ListEnvironments extends BerthCommand {
    @Option(
        names = {"-g", "--resource-group"},
        description = "Resource group (default: the whole subscription).")
    String group;

    ListEnvironments(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      Session session = session();
      String path =
          listScope(session, group)
              + "/providers/"
              + ContainerApps.ENV_TYPE
              + "?"
              + ContainerApps.API_VERSION;
      print(ContainerApps.withResourceGroups(session.arm().list(path)), COLUMNS);
      return 0;
    }
  }

  /** {@code berth containerapp env delete}: refused by the server while apps use it. */
  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete an environment.")
  static final class Delete extends EnvBase {
    @Mixin Confirmation confirmation = new Confirmation();

    @Option(names = "--no-wait", description = "Do not wait for the deletion to finish.")
    boolean noWait;

    Delete(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      if (!confirmation.confirmed(
          env, "Are you sure you want to delete environment '" + name + "'?")) {
        return 0;
      }
      Session session = session();
      session
          .arm()
          .withProgress(WaitProgress.of(this::printErr, "deletion of environment '" + name + "'"))
          .delete(envPath(session), !noWait);
      return 0;
    }
  }
}
