package dev.berth.registry;

import java.util.ArrayList;
import java.util.List;

/**
 * One resource scope of the Docker token grammar, {@code repository:team-a/api:pull,push} or {@code
 * registry:catalog:*}. Immutable.
 *
 * @see <a
 *     href="https://github.com/distribution/distribution/blob/main/docs/content/spec/auth/scope.md">distribution,
 *     token scope documentation</a>
 */
public record AccessRequest(String type, String name, List<String> actions) {

  public AccessRequest {
    actions = List.copyOf(actions);
  }

  public static AccessRequest repository(String name, String... actions) {
    return new AccessRequest("repository", name, List.of(actions));
  }

  public static AccessRequest catalog() {
    return new AccessRequest("registry", "catalog", List.of("*"));
  }

  /**
   * Parses a space-separated scope string; the name may itself contain colons only in the form
   * {@code type:name:actions} where the last colon starts the actions.
   *
   * @throws IllegalArgumentException for text that is not a scope
   */
  public static List<AccessRequest> parseAll(String scopes) {
    List<AccessRequest> all = new ArrayList<>();
    for (String scope : scopes.trim().split("\\s+")) {
      if (scope.isEmpty()) {
        continue;
      }
      int first = scope.indexOf(':');
      int last = scope.lastIndexOf(':');
      if (first <= 0 || last == first || last == scope.length() - 1) {
        throw new IllegalArgumentException("not a scope: " + scope);
      }
      all.add(
          new AccessRequest(
              scope.substring(0, first),
              scope.substring(first + 1, last),
              List.of(scope.substring(last + 1).split(","))));
    }
    return all;
  }

  /** The scope as the challenge and token requests spell it. */
  @Override
  public String toString() {
    return type + ":" + name + ":" + String.join(",", actions);
  }
}
