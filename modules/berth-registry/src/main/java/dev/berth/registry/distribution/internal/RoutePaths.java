package dev.berth.registry.distribution.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Rewrites request path segments so the repository name, which may span several segments, becomes
 * one segment the route table can match ({@code v2/team/api/blobs/x} → {@code v2, "team/api",
 * blobs, x}). The name is what lies between {@code v2} and the route's fixed tail, so a tag named
 * {@code blobs} still works. Stateless and thread-safe.
 */
public final class RoutePaths {

  private static final Set<String> TWO_PART_TAILS = Set.of("blobs", "manifests", "referrers");

  private RoutePaths() {}

  public static List<String> canonical(List<String> s) {
    int n = s.size();
    if (n >= 2 && s.get(0).equals("v2") && !s.get(1).equals("_catalog")) {
      if (n >= 4 && s.get(n - 2).equals("blobs") && s.get(n - 1).equals("uploads")) {
        return collapse(s, 1, n - 2);
      }
      if (n >= 5 && s.get(n - 3).equals("blobs") && s.get(n - 2).equals("uploads")) {
        return collapse(s, 1, n - 3);
      }
      if (n >= 4
          && (TWO_PART_TAILS.contains(s.get(n - 2))
              || (s.get(n - 2).equals("tags") && s.get(n - 1).equals("list")))) {
        return collapse(s, 1, n - 2);
      }
      return s;
    }
    if (n >= 3 && s.get(0).equals("acr") && s.get(1).equals("v1") && !s.get(2).equals("_catalog")) {
      int end = 2;
      while (end < n && !s.get(end).startsWith("_")) {
        end++;
      }
      return end == 2 ? s : collapse(s, 2, end);
    }
    return s;
  }

  private static List<String> collapse(List<String> s, int from, int to) {
    List<String> out = new ArrayList<>(s.subList(0, from));
    out.add(String.join("/", s.subList(from, to)));
    out.addAll(s.subList(to, s.size()));
    return out;
  }
}
