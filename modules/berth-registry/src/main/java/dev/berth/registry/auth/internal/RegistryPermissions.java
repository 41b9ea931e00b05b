package dev.berth.registry.auth.internal;

import dev.berth.api.acr.AccessDecision;
import dev.berth.api.acr.AccessDecision.Reason;
import dev.berth.api.acr.Registry;
import dev.berth.api.acr.ScopeMaps;
import dev.berth.identity.RbacAuthorizer.RoleGrant;
import dev.berth.registry.AccessRequest;
import dev.berth.registry.RepositoryName;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authorization maths of the data plane: which of the wanted actions a caller holds in a
 * registry (the intersection rule of the Docker token spec), from the admin user, a scope map, the
 * Azure role grants (legacy or ABAC mode) or anonymous pull. Pure apart from logging each
 * unparsable ABAC condition once. Thread-safe.
 *
 * @see <a href="https://distribution.github.io/distribution/spec/auth/token/">Docker token spec</a>
 *     (the intersection rule)
 * @see <a
 *     href="https://learn.microsoft.com/azure/container-registry/container-registry-rbac-built-in-roles-directory-reference">ACR
 *     built-in roles</a>
 * @see <a
 *     href="https://learn.microsoft.com/azure/container-registry/container-registry-rbac-abac-repository-permissions">ACR
 *     ABAC repository permissions</a>
 * @see <a
 *     href="https://learn.microsoft.com/azure/container-registry/container-registry-repository-scoped-permissions">ACR
 *     repository-scoped permissions</a>
 */
public final class RegistryPermissions {

  private static final Logger LOG = LoggerFactory.getLogger(RegistryPermissions.class);
  private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

  static final String ACR = "Microsoft.ContainerRegistry/registries/";
  static final String REPO = ACR + "repositories/";

  /** The repository actions a {@code *} request stands for. */
  static final List<String> ALL_REPOSITORY_ACTIONS =
      List.of("pull", "push", "delete", "metadata_read", "metadata_write");

  /**
   * Legacy mode: the ARM action each token action needs, inferred from the actions of AcrPull,
   * AcrPush and AcrDelete (ACR built-in roles, above).
   */
  private static final Map<String, String> LEGACY =
      Map.of(
          "pull", ACR + "pull/read",
          "push", ACR + "push/write",
          "delete", ACR + "artifacts/delete",
          "metadata_read", ACR + "pull/read",
          "metadata_write", ACR + "push/write");

  /** ABAC mode: the data action each token action needs (ACR ABAC repository permissions). */
  private static final Map<String, String> ABAC =
      Map.of(
          "pull", REPO + "content/read",
          "push", REPO + "content/write",
          "delete", REPO + "content/delete",
          "metadata_read", REPO + "metadata/read",
          "metadata_write", REPO + "metadata/write");

  private RegistryPermissions() {}

  /**
   * What {@code caller} may do of {@code wanted}; resources with no granted action are left out.
   *
   * @param roleGrants the caller's Azure role grants reaching the registry (only read for {@link
   *     Caller.Entra})
   */
  public static List<AccessRequest> grant(
      Registry registry, Caller caller, List<RoleGrant> roleGrants, List<AccessRequest> wanted) {
    List<AccessRequest> granted = new ArrayList<>();
    for (AccessRequest w : wanted) {
      // Only names the spec's grammar allows (or ACR's wildcard): a prefix rule such as
      // repositories/team-b/* must never match team-b/../secret.
      if (w.type().equals("repository")
          && !w.name().equals("*")
          && !RepositoryName.isValid(w.name())) {
        continue;
      }
      Set<String> held = new LinkedHashSet<>();
      for (String action : expand(w)) {
        if (holds(registry, caller, roleGrants, w.type(), w.name(), action)) {
          held.add(action);
        }
      }
      List<String> actions = collapse(w, held);
      if (!actions.isEmpty()) {
        granted.add(new AccessRequest(w.type(), w.name(), actions));
      }
    }
    return granted;
  }

  /** The individual actions a request names; {@code *} on a repository means every action. */
  private static List<String> expand(AccessRequest w) {
    if (w.type().equals("repository") && w.actions().contains("*")) {
      return ALL_REPOSITORY_ACTIONS;
    }
    return w.actions();
  }

  /** Answers {@code *} when everything it stands for is held, else the held actions. */
  private static List<String> collapse(AccessRequest w, Set<String> held) {
    if (w.type().equals("repository")
        && w.actions().contains("*")
        && held.containsAll(ALL_REPOSITORY_ACTIONS)) {
      return List.of("*");
    }
    return List.copyOf(held);
  }

  static boolean holds(
      Registry registry,
      Caller caller,
      List<RoleGrant> roleGrants,
      String type,
      String name,
      String action) {
    boolean catalog = type.equals("registry") && name.equals("catalog") && action.equals("*");
    boolean repository = type.equals("repository") && LEGACY.containsKey(action);
    if (!catalog && !repository) {
      return false;
    }
    // Anonymous pull opens reads to everyone, and overrides token and ABAC limits (MS-ANON).
    if (repository && registry.anonymousAllows(action)) {
      return true;
    }
    return switch (caller) {
      case Caller.Admin a -> true;
      case Caller.Anonymous a -> false;
      case Caller.AccessTokenBearer b ->
          b.access().stream()
              .anyMatch(
                  g ->
                      g.type().equals(type)
                          && g.name().equals(name)
                          && (g.actions().contains(action) || g.actions().contains("*")));
      case Caller.ScopeMapToken t ->
          !catalog
              && ScopeMaps.decide(registry, t.name(), t.scopeMapActions(), name, action)
                  .isGranted();
      case Caller.Entra e ->
          entra(registry, roleGrants, catalog, name, action).decision().isGranted();
    };
  }

  /**
   * Whether an Entra principal holding {@code roleGrants} may do {@code action} on {@code
   * repository}, and why not: the decision {@link #grant} makes for it, with its reason, for the
   * pull diagnosis.
   */
  public static AccessDecision entraDecision(
      Registry registry, List<RoleGrant> roleGrants, String repository, String action) {
    return entraVerdict(registry, roleGrants, repository, action).decision();
  }

  /**
   * The decision an Entra principal's token request gets, with the role assignment that decided it:
   * the one that grants, or the one whose condition (or legacy role in ABAC mode) refused.
   *
   * @param decision what the registry decides
   * @param decidedBy the deciding assignment; empty for anonymous pull and for no role at all
   */
  public record Verdict(AccessDecision decision, Optional<RoleGrant> decidedBy) {}

  /** As {@link #entraDecision}, naming the deciding role assignment (for {@code check-access}). */
  public static Verdict entraVerdict(
      Registry registry, List<RoleGrant> roleGrants, String repository, String action) {
    if (registry.anonymousAllows(action)) {
      return new Verdict(AccessDecision.granted("anonymous pull"), Optional.empty());
    }
    return entra(registry, roleGrants, false, repository, action);
  }

  /**
   * An Entra principal's roles: legacy mode honours role actions ({@code pull/read}, …), ABAC mode
   * repository data actions only; either way an assignment's ABAC condition must hold for the
   * repository. Refused, it says why: no role, a legacy role in ABAC mode, or a condition.
   */
  private static Verdict entra(
      Registry registry, List<RoleGrant> grants, boolean catalog, String name, String action) {
    boolean abac = registry.abacMode();
    String needed = catalog ? ACR + "pull/read" : LEGACY.get(action);
    String dataAction = catalog ? ACR + "catalog/read" : ABAC.get(action);
    if (abac && !catalog && name.equals("*")) {
      // ABAC registries silently drop wildcard repository scopes (ACRCLI).
      return new Verdict(
          AccessDecision.refused(
              Reason.NO_ROLE, dataAction, "an ABAC registry grants no wildcard repository scope"),
          Optional.empty());
    }
    // Legacy roles are actions; a condition on one (Azure refuses them) is still honoured.
    Predicate<RoleGrant> permits =
        abac ? g -> g.permitsDataAction(dataAction) : g -> g.permitsAction(needed);
    String conditioned = abac && catalog ? "" : name;
    Optional<RoleGrant> by =
        grants.stream()
            .filter(g -> permits.test(g) && conditionHolds(g, dataAction, conditioned))
            .findFirst();
    if (by.isPresent()) {
      return new Verdict(AccessDecision.granted(by.get().role().roleName()), by);
    }
    Optional<RoleGrant> excluded = grants.stream().filter(permits).findFirst();
    if (excluded.isPresent()) {
      return new Verdict(
          AccessDecision.refused(
              Reason.CONDITION_EXCLUDES,
              excluded.get().role().roleName(),
              "the condition of its "
                  + excluded.get().role().roleName()
                  + " leaves '"
                  + name
                  + "' out"),
          excluded);
    }
    Optional<RoleGrant> legacy = grants.stream().filter(g -> g.permitsAction(needed)).findFirst();
    if (abac && legacy.isPresent()) {
      return new Verdict(
          AccessDecision.refused(
              Reason.ROLE_NOT_HONOURED,
              legacy.get().role().roleName(),
              "an ABAC registry does not honour " + legacy.get().role().roleName()),
          legacy);
    }
    return new Verdict(
        AccessDecision.refused(
            Reason.NO_ROLE,
            abac ? dataAction : needed,
            "no role grants " + (abac ? dataAction : needed)),
        Optional.empty());
  }

  private static boolean conditionHolds(RoleGrant grant, String dataAction, String repository) {
    Optional<String> text = grant.condition();
    if (text.isEmpty()) {
      return true;
    }
    Optional<AbacCondition> condition = AbacCondition.parse(text.get());
    if (condition.isEmpty()) {
      if (LOGGED.add(text.get())) {
        LOG.warn(
            "role assignment {} has a condition Berth cannot evaluate, so it grants nothing: {}",
            grant.assignment().id(),
            text.get());
      }
      return false;
    }
    return condition.get().test(dataAction, repository);
  }
}
