package dev.berth.identity;

import dev.berth.api.Principal;
import dev.berth.api.ResourceId;
import dev.berth.api.RoleAssignment;
import dev.berth.api.RoleDefinition;
import dev.berth.store.Query;
import dev.berth.store.ResourceStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Azure RBAC over the role assignments in the {@link ResourceStore}: a principal may perform an
 * action at a scope when an assignment at that scope or any scope above it grants a role whose
 * {@code actions} match the action and whose own {@code notActions} do not. Thread-safe.
 *
 * <p>ABAC conditions are not evaluated here: Azure applies them to data actions, and {@link
 * #grantsForDataAction} hands each grant's condition to the data plane (the registry), which knows
 * the request attributes the condition tests.
 */
public final class RbacAuthorizer implements Authorizer {

  /** One role assignment of the principal that reaches the scope, with its role. */
  public record RoleGrant(RoleAssignment assignment, RoleDefinition role) {

    /** True when the role's actions match {@code action} and its notActions do not. */
    public boolean permitsAction(String action) {
      return role.permissions().stream()
          .anyMatch(p -> ActionPattern.permits(p.actions(), p.notActions(), action));
    }

    /** True when the role's dataActions match {@code dataAction} and its notDataActions do not. */
    public boolean permitsDataAction(String dataAction) {
      return role.permissions().stream()
          .anyMatch(p -> ActionPattern.permits(p.dataActions(), p.notDataActions(), dataAction));
    }

    /** The ABAC condition that limits this grant, if any; none means the whole scope. */
    public Optional<String> condition() {
      return assignment.condition();
    }
  }

  private final ResourceStore store;
  private final RoleCatalog roles;

  public RbacAuthorizer(ResourceStore store, RoleCatalog roles) {
    this.store = Objects.requireNonNull(store);
    this.roles = Objects.requireNonNull(roles);
  }

  @Override
  public boolean isAllowed(Principal principal, String action, ResourceId scope) {
    return grants(principal, scope).stream().anyMatch(g -> g.permitsAction(action));
  }

  /**
   * The grants that allow {@code dataAction} at {@code scope}, each with its assignment's
   * condition. The data plane allows the request when one grant has no condition or its condition
   * holds for the request.
   */
  public List<RoleGrant> grantsForDataAction(
      Principal principal, String dataAction, ResourceId scope) {
    return grants(principal, scope).stream().filter(g -> g.permitsDataAction(dataAction)).toList();
  }

  /**
   * Every role assignment of {@code principal} at {@code scope} or above it, with its role.
   * Assignments naming a role Berth does not know are skipped.
   */
  public List<RoleGrant> grants(Principal principal, ResourceId scope) {
    List<RoleGrant> grants = new ArrayList<>();
    for (RoleAssignment a : assignmentsReaching(scope)) {
      if (a.principalId().equalsIgnoreCase(principal.objectId())) {
        roles.byId(a.roleDefinitionGuid()).ifPresent(r -> grants.add(new RoleGrant(a, r)));
      }
    }
    return grants;
  }

  @Override
  public boolean hasAssignmentWithin(Principal principal, ResourceId scope) {
    return store.stream(Query.descendants(scope, RoleAssignmentDocuments.TYPE))
        .flatMap(d -> RoleAssignmentDocuments.parse(d).stream())
        .anyMatch(a -> a.principalId().equalsIgnoreCase(principal.objectId()));
  }

  /** The assignments stored at {@code scope} and at every scope above it, nearest first. */
  public List<RoleAssignment> assignmentsReaching(ResourceId scope) {
    return scope.selfAndAncestors().stream()
        .flatMap(at -> store.stream(Query.children(at, RoleAssignmentDocuments.TYPE)))
        .flatMap(d -> RoleAssignmentDocuments.parse(d).stream())
        .toList();
  }
}
