package dev.berth.api.acr;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.acr.AccessDecision.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a repository-scoped token may do: its scope map's actions {@code
 * repositories/<repo>/<content|metadata>/<read|write|delete>}, where {@code <repo>} is a name,
 * {@code prefix/*} or {@code *}, and rules add up. The registry grants token actions with it and
 * the pull diagnosis asks it why a token cannot pull. Stateless.
 *
 * @see <a
 *     href="https://learn.microsoft.com/azure/container-registry/container-registry-repository-scoped-permissions">ACR
 *     repository-scoped permissions</a>
 */
public final class ScopeMaps {

  /** The scope-map suffix each token action needs. */
  private static final Map<String, String> SUFFIX =
      Map.of(
          "pull", "content/read",
          "push", "content/write",
          "delete", "content/delete",
          "metadata_read", "metadata/read",
          "metadata_write", "metadata/write");

  private ScopeMaps() {}

  /** The {@code properties.actions} of a scope map document. */
  public static List<String> actions(JsonNode scopeMap) {
    List<String> actions = new ArrayList<>();
    scopeMap.path("properties").path("actions").forEach(a -> actions.add(a.asText()));
    return actions;
  }

  /**
   * Whether token {@code token}, holding {@code rules}, may do {@code action} ({@code pull}, {@code
   * push}, …) on {@code repository} of {@code registry}: anonymous pull opens reads to it as to
   * everyone; otherwise a rule must grant it.
   */
  public static AccessDecision decide(
      Registry registry, String token, List<String> rules, String repository, String action) {
    if (registry.anonymousAllows(action)) {
      return AccessDecision.granted("anonymous pull");
    }
    if (allows(rules, repository, action)) {
      return AccessDecision.granted("its scope map");
    }
    return AccessDecision.refused(
        Reason.SCOPE_MAP_EXCLUDES,
        token,
        "the scope map of token '%s' of registry '%s' holds no repositories/%s/%s"
            .formatted(token, registry.name(), repository, SUFFIX.getOrDefault(action, action)));
  }

  /** True when one of {@code rules} grants {@code action} on {@code repository}. */
  public static boolean allows(List<String> rules, String repository, String action) {
    if (!SUFFIX.containsKey(action)) {
      return false;
    }
    String suffix = "/" + SUFFIX.get(action);
    String repo = repository.toLowerCase(Locale.ROOT);
    for (String rule : rules) {
      String r = rule.strip();
      if (r.length() <= 13 + suffix.length()
          || !r.regionMatches(true, 0, "repositories/", 0, 13)
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
