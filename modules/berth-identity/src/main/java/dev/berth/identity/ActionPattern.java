package dev.berth.identity;

import java.util.List;
import java.util.Locale;

/**
 * Matches an ARM action against a role's action pattern: case-insensitive, where {@code *} stands
 * for any run of characters (slashes included) anywhere in the pattern, as in {@code *}, {@code
 * *}{@code /read}, {@code Microsoft.Authorization/*}{@code /Write}. A {@code *} that is a whole
 * path segment ({@code /}{@code *}{@code /}) may also stand for no segment at all, as Azure reads
 * Managed Identity Operator's {@code Microsoft.ManagedIdentity/userAssignedIdentities/}{@code
 * *}{@code /assign/action}: it grants {@code …/userAssignedIdentities/assign/action}, the action
 * ARM checks when an identity is linked to a resource. Stateless.
 */
public final class ActionPattern {

  private static final String SEGMENT_STAR = "/*/";

  private ActionPattern() {}

  public static boolean matches(String pattern, String action) {
    return matchesCollapsing(pattern.toLowerCase(Locale.ROOT), action.toLowerCase(Locale.ROOT), 0);
  }

  /**
   * Tries every way of keeping or dropping the whole-segment stars at or after {@code from}. Role
   * patterns hold one or two stars, so this is a handful of linear matches.
   */
  private static boolean matchesCollapsing(String p, String a, int from) {
    int at = p.indexOf(SEGMENT_STAR, from);
    if (at < 0) {
      return glob(p, a);
    }
    return matchesCollapsing(p, a, at + 1)
        || matchesCollapsing(p.substring(0, at) + p.substring(at + 2), a, at);
  }

  /** Classic glob matching with one back-tracking point: linear in practice, no regex needed. */
  private static boolean glob(String p, String a) {
    int pi = 0;
    int ai = 0;
    int star = -1;
    int resume = 0;
    while (ai < a.length()) {
      if (pi < p.length() && p.charAt(pi) == '*') {
        star = pi++;
        resume = ai;
      } else if (pi < p.length() && p.charAt(pi) == a.charAt(ai)) {
        pi++;
        ai++;
      } else if (star >= 0) {
        pi = star + 1;
        ai = ++resume;
      } else {
        return false;
      }
    }
    while (pi < p.length() && p.charAt(pi) == '*') {
      pi++;
    }
    return pi == p.length();
  }

  /** True when some pattern of {@code allow} matches and no pattern of {@code deny} does. */
  public static boolean permits(List<String> allow, List<String> deny, String action) {
    return allow.stream().anyMatch(p -> matches(p, action))
        && deny.stream().noneMatch(p -> matches(p, action));
  }
}
