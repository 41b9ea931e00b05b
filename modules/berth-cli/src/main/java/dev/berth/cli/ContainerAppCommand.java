package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code berth containerapp}: container apps ({@code Microsoft.App/containerApps}) and what belongs
 * to them, with az's flags; apps are printed as ARM returns them plus {@code resourceGroup}.
 */
@Command(
    name = "containerapp",
    mixinStandardHelpOptions = true,
    description = "Manage container apps.",
    subcommands = {
      ContainerAppCreateCommand.class,
      ContainerAppUpdateCommand.class,
      ContainerAppCommand.Show.class,
      ContainerAppCommand.ListApps.class,
      ContainerAppCommand.Delete.class,
      ContainerAppEnvCommand.class,
      ContainerAppIdentityCommand.class,
      ContainerAppIngressCommand.class,
      ContainerAppRegistryCommand.class,
      ContainerAppRevisionCommand.class,
      ContainerAppReplicaCommand.class,
      ContainerAppSecretCommand.class,
      ContainerAppLogsCommand.class,
      ContainerAppDiagnoseCommand.class
    })
final class ContainerAppCommand {

  /** {@code berth containerapp show}. */
  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a container app.")
  static final class Show extends ContainerAppBase.Named {
    Show(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      Session session = session();
      JsonNode app = app(session);
      print(ContainerApps.withResourceGroup(app), ContainerApps.APP_COLUMNS);
      // For people, on standard error: standard output stays the document scripts read.
      printErr(ContainerApps.summary(session.arm(), appId(session), app));
      return 0;
    }
  }

  /** {@code berth containerapp list}: in a group, or in the whole subscription. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List container apps.")
  static final class ListApps extends BerthCommand {
    @Option(
        names = {"-g", "--resource-group"},
        description = "Resource group (default: the whole subscription).")
    String group;

    ListApps(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      Session session = session();
      String path =
          listScope(session, group)
              + "/providers/"
              + ContainerApps.APP_TYPE
              + "?"
              + ContainerApps.API_VERSION;
      print(ContainerApps.withResourceGroups(session.arm().list(path)), ContainerApps.APP_COLUMNS);
      return 0;
    }
  }

  /** {@code berth containerapp delete}. */
  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete a container app.")
  static final class Delete extends ContainerAppBase.Named {
    @Mixin Confirmation confirmation = new Confirmation();

    @Option(names = "--no-wait", description = "Do not wait for the deletion to finish.")
    boolean noWait;

    Delete(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      if (!confirmation.confirmed(
          env, "Are you sure you want to delete container app '" + name + "'?")) {
        return 0;
      }
      Session session = session();
      waiting(session, "deletion of container app '" + name + "'")
          .delete(ContainerApps.at(appId(session)), !noWait);
      return 0;
    }
  }
}
