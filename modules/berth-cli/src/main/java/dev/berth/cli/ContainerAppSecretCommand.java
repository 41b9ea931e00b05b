package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code berth containerapp secret}: the app's secrets; names from GET, values only through {@code
 * POST …/listSecrets}; changed as az does (GET, {@code listSecrets}, PUT). A revision sees changed
 * secrets after {@code revision restart}.
 */
@Command(
    name = "secret",
    mixinStandardHelpOptions = true,
    description = "Manage a container app's secrets.",
    subcommands = {
      ContainerAppSecretCommand.ListSecrets.class,
      ContainerAppSecretCommand.Set.class,
      ContainerAppSecretCommand.Remove.class
    })
final class ContainerAppSecretCommand {

  static final List<Output.Column> COLUMNS =
      List.of(Output.Column.of("Name", "/name"), Output.Column.of("Value", "/value"));

  /** Names only: values are shown only when asked for. */
  static final List<Output.Column> NAME_COLUMNS = COLUMNS.subList(0, 1);

  static JsonNode secretNames(JsonNode app) {
    return SecretEntries.names(app.at("/properties/configuration/secrets"));
  }

  /** {@code berth containerapp secret list [--show-values]}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List secrets.")
  static final class ListSecrets extends ContainerAppBase.Named {
    @Option(names = "--show-values", description = "Show the secrets' values too.")
    boolean showValues;

    ListSecrets(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      Session session = session();
      if (showValues) {
        JsonNode values =
            session.arm().post(ContainerApps.at(appId(session), "listSecrets"), null).path("value");
        print(values, COLUMNS);
      } else {
        print(secretNames(app(session)), NAME_COLUMNS);
      }
      return 0;
    }
  }

  /** {@code berth containerapp secret set --secrets NAME=VALUE…}. */
  @Command(name = "set", mixinStandardHelpOptions = true, description = "Add or change secrets.")
  static final class Set extends ContainerAppBase.Named {
    @Option(
        names = "--secrets",
        required = true,
        arity = "1..*",
        paramLabel = "NAME=VALUE",
        description =
            "Secrets to add or change; VALUE @FILE reads the value from a file, @- from standard"
                + " input (keeps it out of the process list).")
    List<String> secrets;

    Set(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      Session session = session();
      ObjectNode app = appForPut(session);
      SecretEntries.set(
          ContainerApps.array(configuration(app), "secrets"),
          secrets,
          new SecretArguments(env.stdin()));
      print(secretNames(putApp(session, app, "container app '" + name + "'")), NAME_COLUMNS);
      return 0;
    }
  }

  /** {@code berth containerapp secret remove --secret-names NAME…}. */
  @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove secrets.")
  static final class Remove extends ContainerAppBase.Named {
    @Option(
        names = "--secret-names",
        required = true,
        arity = "1..*",
        paramLabel = "NAME",
        description = "Secrets to remove.")
    List<String> names;

    Remove(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      Session session = session();
      ObjectNode app = appForPut(session);
      SecretEntries.remove(ContainerApps.array(configuration(app), "secrets"), names);
      print(secretNames(putApp(session, app, "container app '" + name + "'")), NAME_COLUMNS);
      return 0;
    }
  }
}
