package dev.berth.api;

import java.util.Optional;

/**
 * A grant of one role to one principal at one scope (and everything beneath it), optionally limited
 * by an ABAC {@code condition} such as
 * {@code @Request[Microsoft.ContainerRegistry/registries/repositories:name]
 * StringStartsWithIgnoreCase 'team-a/'}.
 *
 * @param id the assignment's resource id ({@code
 *     {scope}/providers/Microsoft.Authorization/roleAssignments/{guid}})
 * @param roleDefinitionGuid the GUID of the role definition it grants
 */
public record RoleAssignment(
    ResourceId id,
    ResourceId scope,
    String roleDefinitionGuid,
    String principalId,
    Principal.PrincipalType principalType,
    Optional<String> condition,
    Optional<String> conditionVersion) {}
