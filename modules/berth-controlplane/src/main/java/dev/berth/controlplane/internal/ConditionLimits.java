package dev.berth.controlplane.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.ArmErrorCode;
import dev.berth.api.ArmException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The bounds a role assignment's {@code condition}, {@code conditionVersion} and {@code
 * description} must keep at write time (Azure's: a condition up to 8 KB, a description up to 2 KB,
 * version 2.0 only), plus a nesting depth, so that a condition the registry would refuse to parse
 * is refused here with a 400 instead of stored. The registry parses again and refuses the same (an
 * unparsable condition grants nothing). Stateless and thread-safe.
 *
 * @see <a href="https://learn.microsoft.com/azure/role-based-access-control/conditions-faq">Azure
 *     role assignment conditions FAQ: limits</a>
 */
final class ConditionLimits {

  /** "A condition can be up to 8 KB long." */
  static final int MAX_CONDITION = 8 * 1024;

  /** "A description can be up to 2 KB long." */
  static final int MAX_DESCRIPTION = 2 * 1024;

  /** Parentheses and negations together; the registry's parser allows the same. */
  static final int MAX_DEPTH = 32;

  private ConditionLimits() {}

  /**
   * @throws ArmException {@code InvalidParameter} naming the field that breaks a bound
   */
  static void check(JsonNode props) {
    JsonNode description = props.get("description");
    if (description != null && description.isTextual()) {
      requireAtMost(description.asText(), MAX_DESCRIPTION, "properties.description");
    }
    JsonNode condition = props.get("condition");
    if (condition == null || !condition.isTextual() || condition.asText().isEmpty()) {
      return;
    }
    String text = condition.asText();
    requireAtMost(text, MAX_CONDITION, "properties.condition");
    int depth = depth(text);
    if (depth < 0) {
      throw invalid("properties.condition", "The condition has unbalanced parentheses or quotes.");
    }
    if (depth > MAX_DEPTH) {
      throw invalid(
          "properties.condition",
          "The condition nests " + depth + " levels deep; at most " + MAX_DEPTH + " are allowed.");
    }
    JsonNode version = props.get("conditionVersion");
    if (version != null && !version.isNull() && !"2.0".equals(version.asText())) {
      throw invalid(
          "properties.conditionVersion",
          "The condition version '" + version.asText() + "' is not supported; use '2.0'.");
    }
  }

  /**
   * How deep a parser descends into {@code text}: each open parenthesis and each negation ({@code
   * !} or {@code NOT}) whose operand is not yet finished counts one level; -1 when parentheses or
   * quotes do not balance. Quoted text is skipped.
   */
  static int depth(String text) {
    // One counter of pending negations per parenthesis level.
    Deque<int[]> levels = new ArrayDeque<>();
    levels.push(new int[] {0});
    int pending = 0; // negations pending over all levels
    int max = 0;
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '\'') {
        int end = text.indexOf('\'', i + 1);
        if (end < 0) {
          return -1;
        }
        i = end + 1;
        continue;
      }
      if (c == '!' || (text.regionMatches(true, i, "NOT", 0, 3) && isWordAt(text, i, 3))) {
        levels.peek()[0]++;
        pending++;
        max = Math.max(max, levels.size() - 1 + pending);
        i += c == '!' ? 1 : 3;
        continue;
      }
      if (c == '(') {
        levels.push(new int[] {0});
        max = Math.max(max, levels.size() - 1 + pending);
      } else if (c == ')') {
        if (levels.size() == 1) {
          return -1;
        }
        pending -= levels.pop()[0];
        // The group was the operand of the negations waiting before it.
        pending -= levels.peek()[0];
        levels.peek()[0] = 0;
      } else if (!Character.isWhitespace(c) && levels.peek()[0] > 0 && startsOperand(text, i)) {
        // An operand other than a group: its negations close with it.
        pending -= levels.peek()[0];
        levels.peek()[0] = 0;
      }
      i++;
    }
    return levels.size() == 1 ? max : -1;
  }

  private static boolean startsOperand(String text, int i) {
    return Character.isLetter(text.charAt(i)) || text.charAt(i) == '@';
  }

  private static boolean isWordAt(String text, int i, int length) {
    boolean before = i == 0 || !Character.isLetterOrDigit(text.charAt(i - 1));
    int end = i + length;
    boolean after = end >= text.length() || !Character.isLetterOrDigit(text.charAt(end));
    return before && after;
  }

  private static void requireAtMost(String text, int limit, String field) {
    if (text.length() > limit) {
      throw invalid(
          field,
          "The value of '"
              + field
              + "' is "
              + text.length()
              + " characters long; at most "
              + limit
              + " are allowed.");
    }
  }

  private static ArmException invalid(String field, String message) {
    return ArmException.of(ArmErrorCode.InvalidParameter, message).withTarget(field);
  }
}
