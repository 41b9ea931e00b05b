package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code berth containerapp identity}: the app's managed identities, changed as az does (GET,
 * {@code listSecrets}, PUT of the whole app) and printed as the app's {@code identity} block.
 */
@Command(
    name = "identity",
    mixinStandardHelpOptions = true,
    description = "Manage a container app's managed identities.",
    subcommands = {
      ContainerAppIdentityCommand.Assign.class,
      ContainerAppIdentityCommand.Remove.class,
      ContainerAppIdentityCommand.Show.class
    })
final class ContainerAppIdentityCommand {

  static final List<Output.Column> COLUMNS =
      List.of(
          Output.Column.of("Type", "/type"),
          Output.Column.of("PrincipalId", "/principalId"),
          Output.Column.of("TenantId", "/tenantId"));

  /** The app's identity block, {@code {"type":"None"}} when it has none. */
  static JsonNode identityOf(JsonNode app) {
    JsonNode identity = app.path("identity");
    return identity.isObject()
        ? identity
        : BerthCommand.JSON.createObjectNode().put("type", "None");
  }

  /** {@code berth containerapp identity assign}: the system identity when no option is given. */
  @Command(name = "assign", mixinStandardHelpOptions = true, description = "Assign identities.")
  static final class Assign extends ContainerAppBase.Named {
    @Option(names = "--system-assigned", description = "Assign the system-assigned identity.")
    boolean system;

    @Option(
        names = "--user-assigned",
        arity = "1..*",
        paramLabel = "ID",
        description = "User-assigned identity ids to assign.")
    List<String> users = List.of();

    Assign(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      Session session = session();
      ObjectNode app = appForPut(session);
      boolean withSystem = system || users.isEmpty();
      app.set("identity", IdentityBlockEdits.assign(identityOf(app), withSystem, users));
      JsonNode result = putApp(session, app, "container app '" + name + "'");
      print(identityOf(result), COLUMNS);
      return 0;
    }
  }

  /** {@code berth containerapp identity remove}; a bare {@code --user-assigned} removes all. */
  @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove identities.")
  static final class Remove extends ContainerAppBase.Named {
    @Option(names = "--system-assigned", description = "Remove the system-assigned identity.")
    boolean system;

    @Option(
        names = "--user-assigned",
        arity = "0..*",
        paramLabel = "ID",
        description = "User-assigned identity ids to remove (none named: all of them).")
    List<String> users;

    Remove(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      if (!system && users == null) {
        throw new CliFailure("Give --system-assigned and/or --user-assigned [ID ...].");
      }
      Session session = session();
      ObjectNode app = appForPut(session);
      app.set(
          "identity",
          IdentityBlockEdits.remove(identityOf(app), system, Optional.ofNullable(users)));
      JsonNode result = putApp(session, app, "container app '" + name + "'");
      print(identityOf(result), COLUMNS);
      return 0;
    }
  }

  /** {@code berth containerapp identity show}. */
  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show identities.")
  static final class Show extends ContainerAppBase.Named {
    Show(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      print(identityOf(app(session())), COLUMNS);
      return 0;
    }
  }
}
