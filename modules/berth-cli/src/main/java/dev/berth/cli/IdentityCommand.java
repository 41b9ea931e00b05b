package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code berth identity}: user-assigned managed identities ({@code
 * Microsoft.ManagedIdentity/userAssignedIdentities}), printed in az's shape (properties flattened,
 * {@code resourceGroup} added from the id).
 */
@Command(
    name = "identity",
    mixinStandardHelpOptions = true,
    description = "Manage user-assigned managed identities.",
    subcommands = {
      IdentityCommand.Create.class,
      IdentityCommand.Show.class,
      IdentityCommand.ListIdentities.class,
      IdentityCommand.Delete.class
    })
final class IdentityCommand {

  static final String TYPE = "Microsoft.ManagedIdentity/userAssignedIdentities";
  static final String API_VERSION = "api-version=2023-01-31";

  static final List<Output.Column> COLUMNS =
      List.of(
          Output.Column.of("Name", "/name"),
          Output.Column.of("ResourceGroup", "/resourceGroup"),
          Output.Column.of("Location", "/location"),
          Output.Column.of("ClientId", "/clientId"),
          Output.Column.of("PrincipalId", "/principalId"));

  /** az's shape: {@code properties} moved to the top level, {@code resourceGroup} added. */
  static JsonNode flatten(JsonNode resource) {
    if (!(resource instanceof ObjectNode doc)) {
      return resource;
    }
    ObjectNode out = doc.deepCopy();
    JsonNode props = out.remove("properties");
    if (props instanceof ObjectNode p) {
      for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        out.set(e.getKey(), e.getValue());
      }
    }
    String[] segments = out.path("id").asText().split("/");
    for (int i = 0; i + 1 < segments.length; i++) {
      if (segments[i].equalsIgnoreCase("resourceGroups")) {
        out.put("resourceGroup", segments[i + 1]);
        break;
      }
    }
    return out;
  }

  static JsonNode flattenAll(ArrayNode items) {
    ArrayNode out = BerthCommand.JSON.createArrayNode();
    items.forEach(item -> out.add(flatten(item)));
    return out;
  }

  /** A command on one identity: knows its name, its group and its path. */
  abstract static class IdentityBase extends BerthCommand {
    @Option(
        names = {"-n", "--name"},
        required = true,
        description = "Identity name.")
    String name;

    @Option(
        names = {"-g", "--resource-group"},
        required = true,
        description = "Resource group.")
    String group;

    IdentityBase(CliEnvironment env) {
      super(env);
    }

    String groupId(Session session) {
      return GroupCommand.groupId(subscriptionPath(session), group);
    }

    String identityPath(Session session) {
      return groupId(session) + "/providers/" + TYPE + "/" + name + "?" + API_VERSION;
    }
  }

  /** {@code berth identity create}. */
  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create an identity.")
  static final class Create extends IdentityBase {
    @Option(
        names = {"-l", "--location"},
        description = "Location (default: the resource group's).")
    String location;

    @Option(names = "--tags", arity = "0..*", paramLabel = "KEY=VALUE", description = "Tags.")
    List<String> tags = List.of();

    Create(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      Session session = session();
      String where = location;
      if (where == null || where.isBlank()) {
        // As az does: without -l the identity goes where its group is.
        where =
            session
                .arm()
                .get(groupId(session) + "?api-version=" + GroupCommand.API_VERSION)
                .path("location")
                .asText();
      }
      ObjectNode body = JSON.createObjectNode();
      body.put("location", where);
      if (!tags.isEmpty()) {
        body.set("tags", Tags.parse(tags));
      }
      print(flatten(session.arm().put(identityPath(session), body)), COLUMNS);
      return 0;
    }
  }

  /** {@code berth identity show}. */
  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show an identity.")
  static final class Show extends IdentityBase {
    Show(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      Session session = session();
      print(flatten(session.arm().get(identityPath(session))), COLUMNS);
      return 0;
    }
  }

  /** {@code berth identity list}: in a group, or in the whole subscription. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List identities.")
  static final class ListIdentities extends BerthCommand {
    @Option(
        names = {"-g", "--resource-group"},
        description = "Resource group (default: the whole subscription).")
    String group;

    ListIdentities(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      Session session = session();
      String scope =
          group == null || group.isBlank()
              ? subscriptionPath(session)
              : GroupCommand.groupId(subscriptionPath(session), group);
      String path = scope + "/providers/" + TYPE + "?" + API_VERSION;
      print(flattenAll(session.arm().list(path)), COLUMNS);
      return 0;
    }
  }

  /** {@code berth identity delete}. */
  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete an identity.")
  static final class Delete extends IdentityBase {
    Delete(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      Session session = session();
      session.arm().delete(identityPath(session), true);
      return 0;
    }
  }
}
