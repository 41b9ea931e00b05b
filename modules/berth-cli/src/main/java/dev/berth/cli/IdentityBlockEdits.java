package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An app's {@code identity} block: assigning and removing the system-assigned identity and
 * user-assigned ones (keys matched case-insensitively, as ARM does) and keeping {@code type}
 * consistent ({@code None}, {@code SystemAssigned}, {@code UserAssigned}, {@code
 * SystemAssigned,UserAssigned}). Stateless, thread-safe.
 */
final class IdentityBlockEdits {

  private IdentityBlockEdits() {}

  static boolean hasSystem(JsonNode identity) {
    return identity.path("type").asText("").toLowerCase(Locale.ROOT).contains("systemassigned");
  }

  /** The key under which {@code id} is assigned, matched case-insensitively. */
  static Optional<String> userKey(JsonNode identity, String id) {
    List<String> keys = new ArrayList<>();
    identity.path("userAssignedIdentities").fieldNames().forEachRemaining(keys::add);
    return keys.stream().filter(k -> k.equalsIgnoreCase(id)).findFirst();
  }

  /** {@code current} plus the system identity (when {@code system}) and {@code users}. */
  static ObjectNode assign(JsonNode current, boolean system, List<String> users) {
    boolean withSystem = system || hasSystem(current);
    ObjectNode assigned = userIdentities(current);
    for (String id : users) {
      if (userKey(current, id).isEmpty()) {
        assigned.putObject(id);
      }
    }
    return identity(withSystem, assigned);
  }

  /**
   * {@code current} without the system identity (when {@code system}) and without {@code users}; an
   * empty {@code users} list removes every user-assigned identity (az's bare {@code
   * --user-assigned}). Removing what is not assigned is an error, as in az.
   */
  static ObjectNode remove(JsonNode current, boolean system, Optional<List<String>> users) {
    if (system && !hasSystem(current)) {
      throw new CliFailure("The container app does not have a system-assigned identity.");
    }
    ObjectNode assigned = userIdentities(current);
    if (users.isPresent()) {
      if (users.get().isEmpty()) {
        assigned.removeAll();
      }
      for (String id : users.get()) {
        String key =
            userKey(current, id)
                .orElseThrow(
                    () ->
                        new CliFailure(
                            "The container app does not have the user-assigned identity '"
                                + id
                                + "', so it cannot be removed."));
        assigned.remove(key);
      }
    }
    return identity(hasSystem(current) && !system, assigned);
  }

  private static ObjectNode userIdentities(JsonNode current) {
    ObjectNode assigned = BerthCommand.JSON.createObjectNode();
    current
        .path("userAssignedIdentities")
        .fieldNames()
        .forEachRemaining(id -> assigned.putObject(id));
    return assigned;
  }

  private static ObjectNode identity(boolean system, ObjectNode users) {
    ObjectNode identity = BerthCommand.JSON.createObjectNode();
    boolean withUsers = !users.isEmpty();
    identity.put(
        "type",
        system && withUsers
            ? "SystemAssigned,UserAssigned"
            : system ? "SystemAssigned" : withUsers ? "UserAssigned" : "None");
    if (withUsers) {
      identity.set("userAssignedIdentities", users);
    }
    return identity;
  }
}
