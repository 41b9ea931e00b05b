package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code berth role assignment}: who holds which role at which scope. */
@Command(
    name = "assignment",
    mixinStandardHelpOptions = true,
    description = "Role assignments.",
    subcommands = {
      RoleAssignmentCommand.Create.class,
      RoleAssignmentCommand.ListAssignments.class,
      RoleAssignmentCommand.Delete.class
    })
final class RoleAssignmentCommand {

  static final List<Output.Column> COLUMNS =
      List.of(
          Output.Column.of("Principal", "/properties/principalId"),
          Output.Column.of("RoleDefinitionId", "/properties/roleDefinitionId"),
          Output.Column.of("Scope", "/properties/scope"));

  static String assignmentsPath(String scope, String filter) {
    String path =
        scope + RoleCommand.PROVIDER + "/roleAssignments?api-version=" + RoleCommand.API_VERSION;
    return filter == null ? path : path + "&$filter=" + BerthCommand.query(filter);
  }

  /** {@code berth role assignment create}. */
  @Command(name = "create", mixinStandardHelpOptions = true, description = "Assign a role.")
  static final class Create extends BerthCommand {
    @Option(
        names = {"--assignee-object-id", "--assignee"},
        required = true,
        paramLabel = "OBJECT_ID",
        description = "Principal (object) id of the assignee.")
    String assignee;

    @Option(names = "--role", required = true, description = "Role name, GUID or id.")
    String role;

    @Mixin ScopeOption scope = new ScopeOption();

    @Option(
        names = "--assignee-principal-type",
        defaultValue = "ServicePrincipal",
        description = "User, Group or ServicePrincipal (default: ${DEFAULT-VALUE}).")
    String principalType;

    @Option(names = "--condition", description = "ABAC condition.")
    String condition;

    @Option(names = "--condition-version", description = "Condition version (default 2.0).")
    String conditionVersion;

    @Option(names = "--description", description = "Description.")
    String description;

    Create(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      Session session = session();
      String subscription = subscription(session);
      String at = scope.orElse(subscriptionPath(session));
      String roleId = RoleCommand.resolveRoleId(session.arm(), subscription, at, role);
      ObjectNode body = JSON.createObjectNode();
      ObjectNode props = body.putObject("properties");
      props.put("roleDefinitionId", roleId);
      props.put("principalId", assignee);
      props.put("principalType", principalType);
      if (description != null) {
        props.put("description", description);
      }
      if (condition != null) {
        props.put("condition", condition);
        props.put("conditionVersion", conditionVersion != null ? conditionVersion : "2.0");
      }
      String path =
          at
              + RoleCommand.PROVIDER
              + "/roleAssignments/"
              + UUID.randomUUID()
              + "?api-version="
              + RoleCommand.API_VERSION;
      print(session.arm().put(path, body), COLUMNS);
      return 0;
    }
  }

  /** {@code berth role assignment list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List assignments.")
  static final class ListAssignments extends BerthCommand {
    @Mixin ScopeOption scope = new ScopeOption();

    @Option(names = "--assignee", paramLabel = "OBJECT_ID", description = "Only this principal.")
    String assignee;

    @Option(names = "--all", description = "Include assignments below the scope.")
    boolean all;

    ListAssignments(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      Session session = session();
      String at = scope.orElse(subscriptionPath(session));
      String filter;
      if (assignee != null) {
        filter = "principalId eq '" + assignee + "'";
      } else if (all) {
        filter = null;
      } else {
        filter = "atScope()";
      }
      print(session.arm().list(assignmentsPath(at, filter)), COLUMNS);
      return 0;
    }
  }

  /** {@code berth role assignment delete}: by ids, or by assignee + role + scope. */
  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Remove assignments.")
  static final class Delete extends BerthCommand {

    /** Which assignments to delete. */
    static final class Target {
      @Option(names = "--ids", arity = "1..*", paramLabel = "ID", description = "Assignment ids.")
      List<String> ids;

      @ArgGroup(exclusive = false)
      Match match;
    }

    /** The assignee, role and scope of the assignments to delete. */
    static final class Match {
      @Option(names = "--assignee", required = true, paramLabel = "OBJECT_ID")
      String assignee;

      @Option(names = "--role", required = true, description = "Role name, GUID or id.")
      String role;

      @Option(names = "--scope", required = true)
      String scope;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    Delete(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      Session session = session();
      List<String> ids = target.ids != null ? target.ids : matching(session, target.match);
      if (ids.isEmpty()) {
        throw new CliFailure("No matched assignments were found to delete.");
      }
      for (String id : ids) {
        session.arm().delete(id + "?api-version=" + RoleCommand.API_VERSION, true);
      }
      return 0;
    }

    private List<String> matching(Session session, Match m) {
      String roleId =
          RoleCommand.resolveRoleId(session.arm(), subscription(session), m.scope, m.role);
      String roleGuid = roleId.substring(roleId.lastIndexOf('/') + 1);
      ArrayNode found =
          session.arm().list(assignmentsPath(m.scope, "principalId eq '" + m.assignee + "'"));
      List<String> ids = new ArrayList<>();
      for (JsonNode a : found) {
        JsonNode p = a.path("properties");
        String assignedRole = p.path("roleDefinitionId").asText();
        if (assignedRole.toLowerCase(Locale.ROOT).endsWith("/" + roleGuid.toLowerCase(Locale.ROOT))
            && p.path("scope").asText().equalsIgnoreCase(m.scope)) {
          ids.add(a.path("id").asText());
        }
      }
      return ids;
    }
  }
}
