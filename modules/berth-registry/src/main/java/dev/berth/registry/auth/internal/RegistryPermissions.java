package dev.berth.registry.auth.internal;

import dev.berth.identity.RbacAuthorizer.RoleGrant;
import dev.berth.registry.AccessRequest;
import dev.berth.registry.Registry;
import dev.berth.registry.RepositoryName;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authorization maths of the data plane: which of the wanted actions a caller holds in a
 * registry (the intersection rule of the Docker token spec), from the admin user, a scope map, the
 * Azure role grants (legacy or ABAC mode) or anonymous pull. Pure apart from logging each
 * unparsable ABAC condition once. Thread-safe.
 *
 * @see <a href="https://distribution.github.io/distribution/spec/auth/token/">Docker token spec</a>
 *     (reference acr-auth.md §1.5, §4, §5)
 */
public final class RegistryPermissions {

  private static final Logger LOG = LoggerFactory.getLogger(RegistryPermissions.class);
  private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

  static final String ACR = "Microsoft.ContainerRegistry/registries/";
  static final String REPO = ACR + "repositories/";

  /** The repository actions a {@code *} request stands for. */
  static final List<String> ALL_REPOSITORY_ACTIONS =
      List.of("pull", "push", "delete", "metadata_read", "metadata_write");

  /** Legacy mode: the ARM action each token action needs (acr-auth.md §4.1, inferred there). */
  private static final Map<String, String> LEGACY =
      Map.of(
          "pull", ACR + "pull/read",
          "push", ACR + "push/write",
          "delete", ACR + "artifacts/delete",
          "metadata_read", ACR + "pull/read",
          "metadata_write", ACR + "push/write");

  /** ABAC mode: the data action each token action needs (acr-auth.md §4.2). */
  private static final Map<String, String> ABAC =
      Map.of(
          "pull", REPO + "content/read",
          "push", REPO + "content/write",
          "delete", REPO + "content/delete",
          "metadata_read", REPO + "metadata/read",
          "metadata_write", REPO + "metadata/write");

  /** Scope maps: the {@code <content|metadata>/<op>} suffix each token action needs (§5). */
  private static final Map<String, String> SCOPE_MAP =
      Map.of(
          "pull", "content/read",
          "push", "content/write",
          "delete", "content/delete",
          "metadata_read", "metadata/read",
          "metadata_write", "metadata/write");

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
    boolean repository = type.equals("repository") && SCOPE_MAP.containsKey(action);
    if (!catalog && !repository) {
      return false;
    }
    // Anonymous pull opens reads to everyone, and overrides token and ABAC limits (MS-ANON).
    if (repository
        && registry.anonymousPullEnabled()
        && (action.equals("pull") || action.equals("metadata_read"))) {
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
      case Caller.ScopeMapToken t -> !catalog && scopeMapAllows(t.scopeMapActions(), name, action);
      case Caller.Entra e ->
          registry.abacMode()
              ? abacAllows(roleGrants, catalog, name, action)
              : legacyAllows(roleGrants, catalog, name, action);
    };
  }

  private static boolean legacyAllows(
      List<RoleGrant> grants, boolean catalog, String name, String action) {
    String needed = catalog ? ACR + "pull/read" : LEGACY.get(action);
    String dataAction = catalog ? ACR + "catalog/read" : ABAC.get(action);
    // Legacy roles are actions; a condition on one (Azure refuses them) is still honoured.
    return grants.stream()
        .anyMatch(g -> g.permitsAction(needed) && conditionHolds(g, dataAction, name));
  }

  private static boolean abacAllows(
      List<RoleGrant> grants, boolean catalog, String name, String action) {
    if (!catalog && name.equals("*")) {
      return false; // ABAC registries silently drop wildcard repository scopes (ACRCLI).
    }
    String dataAction = catalog ? ACR + "catalog/read" : ABAC.get(action);
    return grants.stream()
        .anyMatch(
            g ->
                g.permitsDataAction(dataAction)
                    && conditionHolds(g, dataAction, catalog ? "" : name));
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

  /**
   * Scope-map actions {@code repositories/<repo>/<content|metadata>/<op>}, where {@code <repo>} is
   * a name, {@code prefix/*} or {@code *}; rules add up.
   */
  static boolean scopeMapAllows(List<String> rules, String repository, String action) {
    String suffix = "/" + SCOPE_MAP.get(action);
    String repo = repository.toLowerCase(Locale.ROOT);
    for (String rule : rules) {
      String r = rule.strip();
      if (!r.regionMatches(true, 0, "repositories/", 0, 13)
          || !r.toLowerCase(Locale.ROOT).endsWith(suffix)) {
        continue;
      }
      String pattern = r.substring(13, r.length() - suffix.length()).toLowerCase(Locale.ROOT);
      if (pattern.equals("*")
          || pattern.equals(repo)
          || (pattern.endsWith("/*")
              && !repo.equals("*")
              && repo.startsWith(pattern.substring(0, pattern.length() - 1)))) {
        return true;
      }
    }
    return false;
  }
}
