package dev.berth.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A URL path template such as {@code /subscriptions/{subscriptionId}/resourceGroups/{name}}.
 * Literal segments match case-insensitively (ARM paths arrive as {@code resourcegroups} and {@code
 * resourceGroups}); {@code {var}} matches one segment; a trailing {@code {var...}} matches the rest
 * of the path, one segment or more. Immutable and thread-safe.
 */
public final class PathPattern {

  private final String template;
  private final List<String> parts;
  private final boolean greedyTail;

  private PathPattern(String template) {
    this.template = template;
    this.parts = split(template);
    this.greedyTail = !parts.isEmpty() && parts.get(parts.size() - 1).endsWith("...}");
  }

  public static PathPattern of(String template) {
    return new PathPattern(template);
  }

  static List<String> split(String path) {
    List<String> out = new ArrayList<>();
    for (String s : path.split("/")) {
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    return out;
  }

  /** The variables of a matching path, or empty when the path does not match. */
  public Optional<Map<String, String>> match(List<String> segments) {
    int fixed = greedyTail ? parts.size() - 1 : parts.size();
    if (greedyTail ? segments.size() < parts.size() : segments.size() != parts.size()) {
      return Optional.empty();
    }
    Map<String, String> vars = new LinkedHashMap<>();
    for (int i = 0; i < fixed; i++) {
      String part = parts.get(i);
      String seg = segments.get(i);
      if (isVar(part)) {
        vars.put(part.substring(1, part.length() - 1), seg);
      } else if (!part.equalsIgnoreCase(seg)) {
        return Optional.empty();
      }
    }
    if (greedyTail) {
      String name = parts.get(fixed);
      vars.put(
          name.substring(1, name.length() - 4),
          String.join("/", segments.subList(fixed, segments.size())));
    }
    return Optional.of(vars);
  }

  /** How specific the pattern is: literal segments count more than variables. */
  int specificity() {
    int score = 0;
    for (String part : parts) {
      score += isVar(part) ? 1 : 3;
    }
    return greedyTail ? score - 100 : score;
  }

  private static boolean isVar(String part) {
    return part.startsWith("{") && part.endsWith("}");
  }

  @Override
  public String toString() {
    return template;
  }
}
