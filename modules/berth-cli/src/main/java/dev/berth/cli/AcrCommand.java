package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code berth acr}: container registries ({@code Microsoft.ContainerRegistry/registries}). */
@Command(
    name = "acr",
    mixinStandardHelpOptions = true,
    description = "Manage container registries.",
    subcommands = {
      AcrCommand.Create.class,
      AcrCommand.Show.class,
      AcrCommand.ListRegistries.class,
      AcrCommand.Update.class,
      AcrCommand.Delete.class,
      AcrCredentialCommand.class,
      AcrConfigCommand.class,
      AcrNetworkRuleCommand.class,
      AcrScopeMapCommand.class,
      AcrTokenCommand.class,
      AcrLoginCommand.class,
      AcrRepositoryCommand.class,
      AcrBlobCommands.Push.class,
      AcrBlobCommands.Pull.class,
      AcrImportCommand.class,
      AcrCheckAccessCommand.class
    })
final class AcrCommand {

  /** The SKUs ARM accepts. */
  enum Sku {
    Basic,
    Standard,
    Premium
  }

  /** {@code --role-assignment-mode} values and the ARM {@code roleAssignmentMode} they set. */
  enum RoleAssignmentMode {
    rbac("LegacyRegistryPermissions"),
    rbac_abac("AbacRepositoryPermissions");

    final String arm;

    RoleAssignmentMode(String arm) {
      this.arm = arm;
    }
  }

  private AcrCommand() {}

  /** {@code berth acr create}: checks the name, then PUTs the registry and waits for it. */
  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a registry.")
  static final class Create extends AcrBase {
    @Option(
        names = {"-n", "--name"},
        required = true,
        description = "Registry name.")
    String name;

    @Option(
        names = {"-g", "--resource-group"},
        required = true,
        description = "Resource group.")
    String group;

    @Option(
        names = "--sku",
        defaultValue = "Basic",
        description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Sku sku;

    @Option(
        names = {"-l", "--location"},
        defaultValue = "local",
        description = "Location (default: ${DEFAULT-VALUE}).")
    String location;

    @Option(names = "--admin-enabled", paramLabel = "true|false", description = "Admin user.")
    String adminEnabled;

    @Option(
        names = "--role-assignment-mode",
        paramLabel = "rbac|rbac-abac",
        description = "rbac (AcrPull/AcrPush roles) or rbac-abac (repository roles).")
    String roleAssignmentMode;

    Create(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      Session session = session();
      ObjectNode check = JSON.createObjectNode().put("name", name).put("type", TYPE);
      JsonNode availability =
          session
              .arm()
              .post(
                  subscriptionPath(session)
                      + "/providers/Microsoft.ContainerRegistry/checkNameAvailability?"
                      + API_VERSION,
                  check);
      if (!availability.path("nameAvailable").asBoolean(true)) {
        throw new CliFailure(
            availability.path("message").asText("The registry name '" + name + "' is in use."));
      }
      ObjectNode body = JSON.createObjectNode();
      body.put("location", location);
      body.putObject("sku").put("name", sku.name());
      ObjectNode properties = body.putObject("properties");
      properties.put("adminUserEnabled", bool(adminEnabled).orElse(false));
      properties.put("anonymousPullEnabled", false);
      if (roleAssignmentMode != null) {
        properties.put("roleAssignmentMode", mode(roleAssignmentMode).arm);
      }
      print(session.arm().put(at(registryId(session, group, name)), body), REGISTRY_COLUMNS);
      return 0;
    }

    private static RoleAssignmentMode mode(String value) {
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "rbac" -> RoleAssignmentMode.rbac;
        case "rbac-abac" -> RoleAssignmentMode.rbac_abac;
        default ->
            throw new IllegalArgumentException(
                "invalid --role-assignment-mode '" + value + "': use rbac or rbac-abac.");
      };
    }
  }

  /** {@code berth acr show}. */
  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a registry.")
  static final class Show extends AcrBase {
    @Mixin ByName registry = new ByName();

    Show(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      Session session = session();
      print(registry(session, registry), REGISTRY_COLUMNS);
      return 0;
    }
  }

  /** {@code berth acr list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List registries.")
  static final class ListRegistries extends AcrBase {
    @Option(
        names = {"-g", "--resource-group"},
        description = "Only this resource group.")
    String group;

    ListRegistries(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      Session session = session();
      String scope = listScope(session, group);
      print(session.arm().list(scope + "/providers/" + TYPE + "?" + API_VERSION), REGISTRY_COLUMNS);
      return 0;
    }
  }

  /** {@code berth acr update}: PATCHes only the properties given. */
  @Command(name = "update", mixinStandardHelpOptions = true, description = "Update a registry.")
  static final class Update extends AcrBase {
    @Mixin ByName registry = new ByName();

    @Option(names = "--admin-enabled", paramLabel = "true|false", description = "Admin user.")
    String adminEnabled;

    @Option(
        names = "--anonymous-pull-enabled",
        paramLabel = "true|false",
        description = "Pull without credentials.")
    String anonymousPull;

    @Option(
        names = "--public-network-enabled",
        paramLabel = "true|false",
        description = "publicNetworkAccess Enabled or Disabled.")
    String publicNetwork;

    @Option(
        names = "--default-action",
        paramLabel = "Allow|Deny",
        description = "Network rules' default action.")
    String defaultAction;

    Update(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      if (adminEnabled == null
          && anonymousPull == null
          && publicNetwork == null
          && defaultAction == null) {
        throw new CliFailure(
            "Nothing to update: give --admin-enabled, --anonymous-pull-enabled,"
                + " --public-network-enabled or --default-action.");
      }
      Session session = session();
      String id = registryId(session, registry);
      ObjectNode body = JSON.createObjectNode();
      ObjectNode properties = body.putObject("properties");
      bool(adminEnabled).ifPresent(v -> properties.put("adminUserEnabled", v));
      bool(anonymousPull).ifPresent(v -> properties.put("anonymousPullEnabled", v));
      bool(publicNetwork)
          .ifPresent(v -> properties.put("publicNetworkAccess", v ? "Enabled" : "Disabled"));
      if (defaultAction != null) {
        String action =
            switch (defaultAction.toLowerCase(Locale.ROOT)) {
              case "allow" -> "Allow";
              case "deny" -> "Deny";
              default ->
                  throw new IllegalArgumentException(
                      "invalid --default-action '" + defaultAction + "': use Allow or Deny.");
            };
        // Send the whole rule set, as az does, so a server that replaces it keeps the IP rules.
        ObjectNode rules = AcrNetworkRuleCommand.ruleSet(session.arm().get(at(id)));
        rules.put("defaultAction", action);
        properties.set("networkRuleSet", rules);
      }
      print(session.arm().patch(at(id), body), REGISTRY_COLUMNS);
      return 0;
    }
  }

  /** {@code berth acr delete}. */
  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a registry.")
  static final class Delete extends AcrBase {
    @Mixin ByName registry = new ByName();

    @Mixin Confirmation confirmation = new Confirmation();

    Delete(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      if (!confirmation.confirmed(
          env, "Are you sure you want to delete the registry '" + registry.name + "'?")) {
        return 0;
      }
      Session session = session();
      session.arm().delete(at(registryId(session, registry)), true);
      return 0;
    }
  }
}
