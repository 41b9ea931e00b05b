package dev.berth.identity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.Principal;
import dev.berth.api.ResourceId;
import dev.berth.api.RoleAssignment;
import dev.berth.store.StoredResource;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the role-assignment documents the control plane stores at {@code
 * {scope}/providers/Microsoft.Authorization/roleAssignments/{guid}} with an ARM body {@code
 * {"properties":{"roleDefinitionId", "principalId", "principalType", "condition",
 * "conditionVersion"}}}. Stateless.
 */
public final class RoleAssignmentDocuments {

  /** The resource type of a role assignment. */
  public static final String TYPE = "Microsoft.Authorization/roleAssignments";

  private static final Pattern GUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private RoleAssignmentDocuments() {}

  /** Parses a stored document; empty when it is not a well-formed role assignment. */
  public static Optional<RoleAssignment> parse(StoredResource document) {
    return parse(document.id(), document.body());
  }

  /**
   * Parses an assignment body stored under {@code id}. Its scope is the scope the id extends (the
   * stored {@code properties.scope} is informational and never trusted over the id).
   */
  public static Optional<RoleAssignment> parse(ResourceId id, JsonNode body) {
    if (!id.type().equalsIgnoreCase(TYPE) || id.parent().isEmpty()) {
      return Optional.empty();
    }
    JsonNode props = body.path("properties");
    Optional<String> guid = roleDefinitionGuid(props.path("roleDefinitionId").asText(""));
    String principalId = props.path("principalId").asText("").strip();
    if (guid.isEmpty() || principalId.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new RoleAssignment(
            id,
            id.parent().get(),
            guid.get(),
            principalId,
            principalType(props.path("principalType").asText("")),
            text(props.path("condition")),
            text(props.path("conditionVersion"))));
  }

  /**
   * The GUID at the end of a role definition id, in either the subscription form {@code
   * /subscriptions/{s}/providers/Microsoft.Authorization/roleDefinitions/{guid}} or the global form
   * {@code /providers/Microsoft.Authorization/roleDefinitions/{guid}}; a bare GUID is accepted too.
   */
  public static Optional<String> roleDefinitionGuid(String roleDefinitionId) {
    String s = roleDefinitionId.strip();
    int slash = s.lastIndexOf('/');
    String last = s.substring(slash + 1);
    if (slash >= 0) {
      String before = s.substring(0, slash).toLowerCase(Locale.ROOT);
      if (!before.endsWith("/providers/microsoft.authorization/roledefinitions")) {
        return Optional.empty();
      }
    }
    return GUID.matcher(last).matches()
        ? Optional.of(last.toLowerCase(Locale.ROOT))
        : Optional.empty();
  }

  /** ARM's default principal type is {@code User}. */
  private static Principal.PrincipalType principalType(String text) {
    for (Principal.PrincipalType t : Principal.PrincipalType.values()) {
      if (t.name().equalsIgnoreCase(text)) {
        return t;
      }
    }
    return Principal.PrincipalType.User;
  }

  private static Optional<String> text(JsonNode node) {
    return node.isTextual() && !node.asText().isBlank()
        ? Optional.of(node.asText())
        : Optional.empty();
  }
}
