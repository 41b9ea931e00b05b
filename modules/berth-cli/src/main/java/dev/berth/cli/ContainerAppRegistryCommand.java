package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code berth containerapp registry}: where an app pulls its images from ({@code
 * configuration.registries}), changed as az does (GET, {@code listSecrets}, PUT) and printed as the
 * list of registries.
 */
@Command(
    name = "registry",
    mixinStandardHelpOptions = true,
    description = "Manage a container app's registries.",
    subcommands = {
      ContainerAppRegistryCommand.Set.class,
      ContainerAppRegistryCommand.ListRegistries.class,
      ContainerAppRegistryCommand.Remove.class
    })
final class ContainerAppRegistryCommand {

  static final List<Output.Column> COLUMNS =
      List.of(
          Output.Column.of("Server", "/server"),
          Output.Column.of("Username", "/username"),
          Output.Column.of("PasswordSecretRef", "/passwordSecretRef"),
          Output.Column.of("Identity", "/identity"));

  static JsonNode registriesOf(JsonNode app) {
    JsonNode registries = app.at("/properties/configuration/registries");
    return registries.isArray() ? registries : BerthCommand.JSON.createArrayNode();
  }

  /** {@code berth containerapp registry set}: adds or replaces the entry for a server. */
  @Command(name = "set", mixinStandardHelpOptions = true, description = "Add or change a registry.")
  static final class Set extends ContainerAppBase.Named {
    @Option(
        names = "--server",
        required = true,
        paramLabel = "SERVER",
        description = "Login server.")
    String server;

    @Option(
        names = "--identity",
        paramLabel = "ID",
        description = "Pull with this identity: system, or a user-assigned identity id.")
    String identity;

    @Option(
        names = {"-u", "--username"},
        paramLabel = "USER",
        description = "Registry user name.")
    String username;

    @Option(
        names = {"-p", "--password"},
        paramLabel = "PASSWORD",
        description =
            "Registry password (kept as an app secret), @FILE or @- to read it from a file or"
                + " standard input, or secretref:SECRET.")
    String password;

    Set(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      RegistryCredentials registry =
          new RegistryCredentials(
              server,
              identity,
              username,
              new SecretArguments(env.stdin()).resolve(password, "--password"));
      Session session = session();
      ObjectNode app = appForPut(session);
      registry.applyTo(configuration(app));
      // az assigns the identity a registry is pulled with when the app lacks it.
      if (registry.usesSystemIdentity() || registry.usesUserIdentity()) {
        app.set(
            "identity",
            IdentityBlockEdits.assign(
                ContainerAppIdentityCommand.identityOf(app),
                registry.usesSystemIdentity(),
                registry.usesUserIdentity() ? List.of(identity) : List.of()));
      }
      JsonNode result = putApp(session, app, "container app '" + name + "'");
      print(registriesOf(result), COLUMNS);
      return 0;
    }
  }

  /** {@code berth containerapp registry list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List registries.")
  static final class ListRegistries extends ContainerAppBase.Named {
    ListRegistries(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      print(registriesOf(app(session())), COLUMNS);
      return 0;
    }
  }

  /** {@code berth containerapp registry remove}: also drops the entry's password secret. */
  @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a registry.")
  static final class Remove extends ContainerAppBase.Named {
    @Option(
        names = "--server",
        required = true,
        paramLabel = "SERVER",
        description = "Login server.")
    String server;

    Remove(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      Session session = session();
      ObjectNode app = appForPut(session);
      ObjectNode configuration = configuration(app);
      ArrayNode registries = ContainerApps.array(configuration, "registries");
      int at = -1;
      for (int i = 0; i < registries.size(); i++) {
        if (registries.get(i).path("server").asText().equalsIgnoreCase(server)) {
          at = i;
        }
      }
      if (at < 0) {
        throw new CliFailure("Container app '" + name + "' has no registry '" + server + "'.");
      }
      String secret = registries.get(at).path("passwordSecretRef").asText("");
      registries.remove(at);
      if (!secret.isEmpty()) {
        SecretEntries.remove(ContainerApps.array(configuration, "secrets"), List.of(secret));
      }
      JsonNode result = putApp(session, app, "container app '" + name + "'");
      print(registriesOf(result), COLUMNS);
      return 0;
    }
  }
}
