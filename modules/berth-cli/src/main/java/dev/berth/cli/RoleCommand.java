package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.berth.client.ArmClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code berth role}: role definitions and assignments ({@code Microsoft.Authorization}). */
@Command(
    name = "role",
    mixinStandardHelpOptions = true,
    description = "Manage role definitions and assignments.",
    subcommands = {RoleCommand.Definition.class, RoleAssignmentCommand.class})
final class RoleCommand {

  static final String API_VERSION = "2022-04-01";
  static final String PROVIDER = "/providers/Microsoft.Authorization";

  private static final Pattern GUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private RoleCommand() {}

  /** The role definitions visible at {@code scope}, optionally only those named {@code name}. */
  static ArrayNode definitions(ArmClient arm, String scope, String name) {
    String path = scope + PROVIDER + "/roleDefinitions?api-version=" + API_VERSION;
    if (name != null) {
      path += "&$filter=" + BerthCommand.query("roleName eq '" + name + "'");
    }
    return arm.list(path);
  }

  /**
   * The full role definition id for a role given by name (matched case-insensitively), GUID or id.
   * Names go through the {@code roleName eq} filter first; a server that matches names
   * case-sensitively gets a second, unfiltered look.
   */
  static String resolveRoleId(ArmClient arm, String subscription, String scope, String role) {
    if (role.startsWith("/") && role.toLowerCase(Locale.ROOT).contains("/roledefinitions/")) {
      return role;
    }
    if (GUID.matcher(role).matches()) {
      return definitionId(subscription, role);
    }
    List<JsonNode> matches = named(definitions(arm, scope, role), role);
    if (matches.isEmpty()) {
      matches = named(definitions(arm, scope, null), role);
    }
    if (matches.isEmpty()) {
      throw new CliFailure("Role '" + role + "' doesn't exist.");
    }
    if (matches.size() > 1) {
      throw new CliFailure(
          "Multiple roles named '" + role + "' exist; use the role definition id instead.");
    }
    JsonNode found = matches.get(0);
    String guid = found.path("name").asText("");
    if (guid.isEmpty()) {
      String id = found.path("id").asText();
      guid = id.substring(id.lastIndexOf('/') + 1);
    }
    return definitionId(subscription, guid);
  }

  static String definitionId(String subscription, String guid) {
    return "/subscriptions/" + subscription + PROVIDER + "/roleDefinitions/" + guid;
  }

  private static List<JsonNode> named(ArrayNode definitions, String role) {
    List<JsonNode> matches = new ArrayList<>();
    for (JsonNode d : definitions) {
      if (d.path("properties").path("roleName").asText().equalsIgnoreCase(role)) {
        matches.add(d);
      }
    }
    return matches;
  }

  /** {@code berth role definition}. */
  @Command(
      name = "definition",
      mixinStandardHelpOptions = true,
      description = "Role definitions.",
      subcommands = {Definition.ListDefinitions.class})
  static final class Definition {

    /** {@code berth role definition list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List roles.")
    static final class ListDefinitions extends BerthCommand {
      @Option(names = "--name", paramLabel = "ROLE", description = "Only the role with this name.")
      String name;

      @Mixin ScopeOption scope = new ScopeOption();

      ListDefinitions(CliEnvironment env) {
        super(env);
      }

      @Override
      int run() {
        Session session = session();
        String at = scope.orElse(subscriptionPath(session));
        print(
            definitions(session.arm(), at, name),
            List.of(
                Output.Column.of("Name", "/properties/roleName"),
                Output.Column.of("Type", "/properties/type"),
                Output.Column.of("Description", "/properties/description")));
        return 0;
      }
    }
  }
}
