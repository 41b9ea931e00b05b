package dev.berth.identity.internal;

/**
 * Matches an ARM action against a role's action pattern: case-insensitive, where {@code *} stands
 * for any run of characters (slashes included) anywhere in the pattern, as in {@code *}, {@code
 * *}{@code /read}, {@code Microsoft.Authorization/*}{@code /Write}. Stateless.
 */
public final class ActionPattern {

  private ActionPattern() {}

  public static boolean matches(String pattern, String action) {
    String p = pattern.toLowerCase(java.util.Locale.ROOT);
    String a = action.toLowerCase(java.util.Locale.ROOT);
    // Classic glob matching with one back-tracking point: linear in practice, no regex needed.
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
  public static boolean permits(
      java.util.List<String> allow, java.util.List<String> deny, String action) {
    return allow.stream().anyMatch(p -> matches(p, action))
        && deny.stream().noneMatch(p -> matches(p, action));
  }
}
