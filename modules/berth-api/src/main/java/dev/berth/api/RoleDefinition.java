package dev.berth.api;

import java.util.List;

/**
 * A role: a named set of permissions. Built-in roles carry Azure's own GUIDs so that scripts naming
 * them by id work unchanged.
 *
 * @param id the role definition GUID (the last segment of its resource id)
 * @param roleName such as {@code AcrPull}
 * @param roleType {@code BuiltInRole} or {@code CustomRole}
 */
public record RoleDefinition(
    String id,
    String roleName,
    String description,
    String roleType,
    List<Permission> permissions,
    List<String> assignableScopes) {

  public RoleDefinition {
    permissions = List.copyOf(permissions);
    assignableScopes = List.copyOf(assignableScopes);
  }

  /**
   * One permission block: control-plane actions and data-plane dataActions, each with exclusions.
   */
  public record Permission(
      List<String> actions,
      List<String> notActions,
      List<String> dataActions,
      List<String> notDataActions) {

    public Permission {
      actions = List.copyOf(actions);
      notActions = List.copyOf(notActions);
      dataActions = List.copyOf(dataActions);
      notDataActions = List.copyOf(notDataActions);
    }
  }
}
