package dev.berth.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.Stack;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.IParameterConsumer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code berth acr scope-map}: sets of repository actions that repository-scoped tokens get ({@code
 * …/registries/{r}/scopeMaps/{name}}).
 */
@Command(
    name = "scope-map",
    mixinStandardHelpOptions = true,
    description = "Manage scope maps for repository-scoped tokens.",
    subcommands = {
      AcrScopeMapCommand.Create.class,
      AcrScopeMapCommand.Show.class,
      AcrScopeMapCommand.ListMaps.class,
      AcrScopeMapCommand.Update.class,
      AcrScopeMapCommand.Delete.class
    })
final class AcrScopeMapCommand {

  /**
   * The repository actions a scope map may grant (<a
   * href="https://learn.microsoft.com/azure/container-registry/container-registry-repository-scoped-permissions">ACR
   * repository-scoped permissions</a>).
   */
  static final Set<String> ACTIONS =
      Set.of("content/read", "content/write", "content/delete", "metadata/read", "metadata/write");

  static final List<Output.Column> COLUMNS =
      List.of(
          Output.Column.of("Name", "/name"),
          Output.Column.of("Type", "/properties/type"),
          Output.Column.of("Description", "/properties/description"),
          Output.Column.of("ProvisioningState", "/properties/provisioningState"));

  private AcrScopeMapCommand() {}

  /**
   * Takes one {@code --repository REPO ACTION [ACTION…]} occurrence as its own list, so that
   * repeated options stay apart (picocli would merge them into one list otherwise).
   */
  static final class RuleConsumer implements IParameterConsumer {
    @Override
    public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec spec) {
      List<String> rule = new ArrayList<>();
      while (!args.isEmpty() && !args.peek().startsWith("-")) {
        rule.add(args.pop());
      }
      if (rule.size() < 2) {
        throw new ParameterException(
            spec.commandLine(),
            argSpec.paramLabel() + ": give a repository and at least one action.");
      }
      List<List<String>> rules = argSpec.getValue();
      rules.add(rule);
    }
  }

  /** {@code repositories/<repo>/<action>} for each rule, as az builds them. */
  static List<String> actions(List<List<String>> rules) {
    Set<String> out = new LinkedHashSet<>();
    for (List<String> rule : rules) {
      String repo = rule.get(0);
      for (String action : rule.subList(1, rule.size())) {
        if (!ACTIONS.contains(action)) {
          throw new IllegalArgumentException(
              "invalid action '"
                  + action
                  + "' for repository '"
                  + repo
                  + "': use one of "
                  + String.join(", ", new TreeSet<>(ACTIONS))
                  + ".");
        }
        out.add("repositories/" + repo + "/" + action);
      }
    }
    return List.copyOf(out);
  }

  /** The PUT/PATCH body of a scope map: its actions, and its description when given. */
  static ObjectNode body(Collection<String> actions, String description) {
    ObjectNode body = BerthCommand.JSON.createObjectNode();
    ObjectNode properties = body.putObject("properties");
    actions.forEach(properties.putArray("actions")::add);
    if (description != null) {
      properties.put("description", description);
    }
    return body;
  }

  /** A command on one scope map: knows its registry, its name and its path. */
  abstract static class MapBase extends AcrBase {
    @Mixin ByRegistry registry = new ByRegistry();

    @Option(
        names = {"-n", "--name"},
        required = true,
        description = "Scope map name.")
    String name;

    MapBase(CliEnvironment env) {
      super(env);
    }

    String mapPath(Session session) {
      return at(registryId(session, registry), "scopeMaps/" + name);
    }
  }

  /** {@code berth acr scope-map create}. */
  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a scope map.")
  static final class Create extends MapBase {
    @Option(
        names = "--repository",
        parameterConsumer = RuleConsumer.class,
        paramLabel = "REPO ACTION...",
        description =
            "A repository and its actions (content/read, content/write, content/delete,"
                + " metadata/read, metadata/write); repeatable.")
    List<List<String>> repositories = new ArrayList<>();

    @Option(names = "--description", description = "Description.")
    String description;

    Create(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      if (repositories.isEmpty()) {
        throw new ParameterException(
            spec.commandLine(), "Missing required option: '--repository REPO ACTION...'");
      }
      List<String> actions = actions(repositories);
      Session session = session();
      print(session.arm().put(mapPath(session), body(actions, description)), COLUMNS);
      return 0;
    }
  }

  /** {@code berth acr scope-map show}. */
  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a scope map.")
  static final class Show extends MapBase {
    Show(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      Session session = session();
      print(session.arm().get(mapPath(session)), COLUMNS);
      return 0;
    }
  }

  /** {@code berth acr scope-map list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List scope maps.")
  static final class ListMaps extends AcrBase {
    @Mixin ByRegistry registry = new ByRegistry();

    ListMaps(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      Session session = session();
      print(session.arm().list(at(registryId(session, registry), "scopeMaps")), COLUMNS);
      return 0;
    }
  }

  /** {@code berth acr scope-map update}: adds and removes actions, PATCHing the whole list. */
  @Command(name = "update", mixinStandardHelpOptions = true, description = "Update a scope map.")
  static final class Update extends MapBase {
    @Option(
        names = "--add-repository",
        parameterConsumer = RuleConsumer.class,
        paramLabel = "REPO ACTION...",
        description = "A repository and actions to add; repeatable.")
    List<List<String>> added = new ArrayList<>();

    @Option(
        names = "--remove-repository",
        parameterConsumer = RuleConsumer.class,
        paramLabel = "REPO ACTION...",
        description = "A repository and actions to take away; repeatable.")
    List<List<String>> removed = new ArrayList<>();

    @Option(names = "--description", description = "Description.")
    String description;

    Update(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      List<String> add = actions(added);
      List<String> remove = actions(removed);
      Session session = session();
      String path = mapPath(session);
      Set<String> actions = new LinkedHashSet<>();
      session
          .arm()
          .get(path)
          .path("properties")
          .path("actions")
          .forEach(a -> actions.add(a.asText()));
      actions.addAll(add);
      actions.removeAll(remove);
      print(session.arm().patch(path, body(actions, description)), COLUMNS);
      return 0;
    }
  }

  /** {@code berth acr scope-map delete}. */
  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a scope map.")
  static final class Delete extends MapBase {
    @Mixin Confirmation confirmation = new Confirmation();

    Delete(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      if (!confirmation.confirmed(
          env, "Are you sure you want to delete the scope map '" + name + "'?")) {
        return 0;
      }
      Session session = session();
      session.arm().delete(mapPath(session), true);
      return 0;
    }
  }
}
