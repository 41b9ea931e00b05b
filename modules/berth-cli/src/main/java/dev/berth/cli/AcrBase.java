package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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

  /** Which registry a command acts on: its name, and its group when the user gave one. */
  abstract static class RegistryOptions {
    @Option(
        names = {"-g", "--resource-group"},
        description = "Resource group (found from the name when omitted).")
    String group;

    abstract String name();
  }

  /** A registry chosen by {@code -n/--name} (az's {@code acr show}, {@code credential}…). */
  static final class ByName extends RegistryOptions {
    @Option(
        names = {"-n", "--name"},
        required = true,
        description = "Registry name.")
    String name;

    @Override
    String name() {
      return name;
    }
  }

  /** A registry chosen by {@code -r/--registry} (az's {@code scope-map}, {@code token}…). */
  static final class ByRegistry extends RegistryOptions {
    @Option(
        names = {"-r", "--registry"},
        required = true,
        description = "Registry name.")
    String name;

    @Override
    String name() {
      return name;
    }
  }

  AcrBase(CliEnvironment env) {
    super(env);
  }

  /** The ARM id of registry {@code name} in resource group {@code group}. */
  String registryId(Session session, String group, String name) {
    return subscriptionPath(session)
        + "/resourceGroups/"
        + group
        + "/providers/"
        + TYPE
        + "/"
        + name;
  }

  /**
   * The registry's ARM id. Without a group, lists the subscription's registries ({@code $filter} by
   * type only) and matches the name case-insensitively, as az does.
   */
  String registryId(Session session, RegistryOptions registry) {
    String name = registry.name();
    if (registry.group != null && !registry.group.isBlank()) {
      return registryId(session, registry.group, name);
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

  /** The registry's ARM resource (found as {@link #registryId(Session, RegistryOptions)} does). */
  JsonNode registry(Session session, RegistryOptions registry) {
    return session.arm().get(at(registryId(session, registry)));
  }

  /** {@code id?api-version=…}. */
  static String at(String id) {
    return id + "?" + API_VERSION;
  }

  /** {@code id/child?api-version=…}. */
  static String at(String id, String child) {
    return id + "/" + child + "?" + API_VERSION;
  }

  /** An az-style {@code enabled|disabled} value, lower-cased. */
  static String enabledOrDisabled(String option, String value) {
    String s = value.toLowerCase(Locale.ROOT);
    if (!s.equals("enabled") && !s.equals("disabled")) {
      throw new IllegalArgumentException(
          "invalid " + option + " '" + value + "': use enabled or disabled.");
    }
    return s;
  }

  /** The {@code "true"/"false"} value of an az-style boolean flag. */
  static Optional<Boolean> bool(String value) {
    if (value == null) {
      return Optional.empty();
    }
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "1" -> Optional.of(true);
      case "false", "no", "0" -> Optional.of(false);
      default ->
          throw new IllegalArgumentException("invalid boolean '" + value + "': use true or false.");
    };
  }
}
