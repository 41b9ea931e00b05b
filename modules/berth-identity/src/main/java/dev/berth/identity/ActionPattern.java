package dev.berth.identity;

import java.util.BitSet;
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

  private ActionPattern() {}

  /**
   * Whether {@code action} matches {@code pattern}, in time linear in each (patterns come from role
   * definitions and ABAC conditions, up to 8 KB, and may be anyone's: no backtracking).
   */
  public static boolean matches(String pattern, String action) {
    return new Matcher(pattern.toLowerCase(Locale.ROOT)).matches(action.toLowerCase(Locale.ROOT));
  }

  /**
   * The pattern as a small automaton, run over the action with a set of live states (Thompson's
   * construction): token {@code i} is a literal character, a star, or a whole-segment star, which
   * matches nothing or any run ending in {@code /}. State {@code 2i} stands before token {@code i};
   * state {@code 2i+1} is inside whole-segment star {@code i}, waiting for its closing slash.
   */
  private static final class Matcher {
    private static final char STAR = '\uE000';
    private static final char SEGMENT_STAR = '\uE001';

    private final char[] tokens;

    Matcher(String pattern) {
      StringBuilder t = new StringBuilder(pattern.length());
      for (int i = 0; i < pattern.length(); i++) {
        char c = pattern.charAt(i);
        if (c != '*') {
          t.append(c);
        } else if (i > 0
            && pattern.charAt(i - 1) == '/'
            && i + 1 < pattern.length()
            && pattern.charAt(i + 1) == '/') {
          t.append(SEGMENT_STAR);
          i++; // the slash after the star belongs to it: "/*/" may read as "/"
        } else {
          t.append(STAR);
        }
      }
      this.tokens = t.toString().toCharArray();
    }

    boolean matches(String action) {
      int states = 2 * tokens.length + 2;
      BitSet live = closure(bit(0, states));
      for (int at = 0; at < action.length() && !live.isEmpty(); at++) {
        char c = action.charAt(at);
        BitSet next = new BitSet(states);
        for (int s = live.nextSetBit(0); s >= 0; s = live.nextSetBit(s + 1)) {
          int token = s / 2;
          if (s % 2 == 1) {
            next.set(s); // the segment star's run goes on
            if (c == '/') {
              next.set(2 * (token + 1));
            }
          } else if (token < tokens.length) {
            char t = tokens[token];
            if (t == STAR) {
              next.set(s);
            } else if (t == c) {
              next.set(2 * (token + 1));
            }
          }
        }
        live = closure(next);
      }
      return live.get(2 * tokens.length);
    }

    /** Adds the states reachable without reading: past a star, past or into a segment star. */
    private BitSet closure(BitSet states) {
      for (int s = states.nextSetBit(0); s >= 0; s = states.nextSetBit(s + 1)) {
        int token = s / 2;
        if (s % 2 == 0 && token < tokens.length) {
          if (tokens[token] == STAR) {
            states.set(2 * (token + 1));
          } else if (tokens[token] == SEGMENT_STAR) {
            states.set(2 * (token + 1));
            states.set(s + 1);
          }
        }
      }
      return states;
    }

    private static BitSet bit(int index, int size) {
      BitSet b = new BitSet(size);
      b.set(index);
      return b;
    }
  }

  /** True when some pattern of {@code allow} matches and no pattern of {@code deny} does. */
  public static boolean permits(List<String> allow, List<String> deny, String action) {
    return allow.stream().anyMatch(p -> matches(p, action))
        && deny.stream().noneMatch(p -> matches(p, action));
  }
}
