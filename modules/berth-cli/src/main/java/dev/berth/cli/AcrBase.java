package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Base of the {@code berth acr} commands: finds a registry's ARM id from its name (through the
 * resources list when no group is given, as az does) and builds its paths. Not thread-safe (one per
 * invocation).
 */
abstract class AcrBase extends BerthCommand {

  static final String TYPE = "Microsoft.ContainerRegistry/registries";
  static final String API_VERSION = "api-version=2023-07-01";
  static final String RESOURCES_API_VERSION = "api-version=2021-04-01";

  static final List<Output.Column> REGISTRY_COLUMNS =
      List.of(
          Output.Column.of("Name", "/name"),
          Output.Column.of("Location", "/location"),
          Output.Column.of("Sku", "/sku/name"),
          Output.Column.of("LoginServer", "/properties/loginServer"),
          Output.Column.of("AdminEnabled", "/properties/adminUserEnabled"),
          Output.Column.of("ProvisioningState", "/properties/provisioningState"));

  /** A registry chosen by {@code -n/--name} (az's {@code acr show}, {@code credential}…). */
  static final class ByName {
    @Option(
        names = {"-n", "--name"},
        required = true,
        description = "Registry name.")
    String name;

    @Option(
        names = {"-g", "--resource-group"},
        description = "Resource group (found from the name when omitted).")
    String group;
  }

  /** A registry chosen by {@code -r/--registry} (az's {@code scope-map}, {@code token}…). */
  static final class ByRegistry {
    @Option(
        names = {"-r", "--registry"},
        required = true,
        description = "Registry name.")
    String name;

    @Option(
        names = {"-g", "--resource-group"},
        description = "Resource group (found from the name when omitted).")
    String group;
  }

  AcrBase(CliEnvironment env) {
    super(env);
  }

  String subscriptionPath(Session session) {
    return "/subscriptions/" + subscription(session);
  }

  /**
   * The registry's ARM id. Without a group, lists the subscription's registries ({@code $filter} by
   * type only) and matches the name case-insensitively, as az does.
   */
  String registryId(Session session, String name, String group) {
    if (group != null && !group.isBlank()) {
      return subscriptionPath(session)
          + "/resourceGroups/"
          + group
          + "/providers/"
          + TYPE
          + "/"
          + name;
    }
    ArrayNode resources =
        session
            .arm()
            .list(
                subscriptionPath(session)
                    + "/resources?$filter="
                    + query("resourceType eq '" + TYPE + "'")
                    + "&"
                    + RESOURCES_API_VERSION);
    List<String> ids = new ArrayList<>();
    for (JsonNode r : resources) {
      if (r.path("name").asText().equalsIgnoreCase(name)) {
        ids.add(r.path("id").asText());
      }
    }
    if (ids.isEmpty()) {
      throw new CliFailure(
          "The resource with name '"
              + name
              + "' and type '"
              + TYPE
              + "' could not be found in subscription '"
              + subscription(session)
              + "'.");
    }
    if (ids.size() > 1) {
      throw new CliFailure(
          "More than one resource with type '"
              + TYPE
              + "' and name '"
              + name
              + "' found. Please specify --resource-group.");
    }
    return ids.get(0);
  }

  String registryId(Session session, ByName registry) {
    return registryId(session, registry.name, registry.group);
  }

  String registryId(Session session, ByRegistry registry) {
    return registryId(session, registry.name, registry.group);
  }

  /** {@code id?api-version=…}. */
  static String at(String id) {
    return id + "?" + API_VERSION;
  }

  /** {@code id/child?api-version=…}. */
  static String at(String id, String child) {
    return id + "/" + child + "?" + API_VERSION;
  }

  /** Asks for confirmation unless {@code yes}; false when the user said no. */
  boolean confirmed(boolean yes, String question) {
    if (yes) {
      return true;
    }
    String answer =
        env.prompter()
            .ask(question + " (y/n): ")
            .orElseThrow(
                () ->
                    new CliFailure(
                        "Unable to prompt for confirmation as no tty available. Use --yes."));
    return answer.trim().toLowerCase().startsWith("y");
  }

  /** The {@code "true"/"false"} value of an az-style boolean flag. */
  static Optional<Boolean> bool(String value) {
    if (value == null) {
      return Optional.empty();
    }
    return switch (value.trim().toLowerCase()) {
      case "true", "yes", "1" -> Optional.of(true);
      case "false", "no", "0" -> Optional.of(false);
      default ->
          throw new IllegalArgumentException("invalid boolean '" + value + "': use true or false.");
    };
  }
}
