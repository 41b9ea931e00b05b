package dev.berth.registry.auth.internal;

import dev.berth.identity.ActionPattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A parsed Azure ABAC condition (conditionVersion 2.0) over the one attribute ACR's data plane
 * offers, {@code @Request[Microsoft.ContainerRegistry/registries/repositories:name]}, evaluated for
 * a data action and a repository name. Supports {@code AND}/{@code OR}/{@code !}/parentheses,
 * {@code ActionMatches{'…'}}, and the string operators {@code StringEquals[IgnoreCase]}, {@code
 * StringStartsWith[IgnoreCase]}, {@code StringNotEquals[IgnoreCase]}, {@code
 * StringNotStartsWith[IgnoreCase]}, each optionally as {@code ForAnyOfAnyValues:} with a {@code
 * {'a','b'}} list. Immutable and thread-safe.
 *
 * @see <a
 *     href="https://learn.microsoft.com/azure/container-registry/container-registry-rbac-abac-repository-permissions">ACR
 *     ABAC repository permissions</a>
 */
public final class AbacCondition {

  /** The only request attribute the registry supplies. */
  public static final String REPOSITORY_NAME =
      "Microsoft.ContainerRegistry/registries/repositories:name";

  /** Azure's limit: "a condition can be up to 8 KB long" (role assignment conditions FAQ). */
  public static final int MAX_LENGTH = 8 * 1024;

  /**
   * How deep parentheses and negations may nest. Azure sets no published figure; real conditions
   * nest two or three levels, and a bound keeps the recursive-descent parser off the stack's end.
   */
  public static final int MAX_DEPTH = 32;

  private final Node root;

  private AbacCondition(Node root) {
    this.root = root;
  }

  /** Parses a condition; empty when the text is not in the supported grammar. */
  public static Optional<AbacCondition> parse(String text) {
    if (text == null || text.length() > MAX_LENGTH) {
      return Optional.empty();
    }
    try {
      Parser p = new Parser(text);
      Node n = p.expression();
      p.skipSpace();
      if (!p.atEnd()) {
        return Optional.empty();
      }
      return Optional.of(new AbacCondition(n));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** True when the condition holds for a request doing {@code dataAction} on {@code repository}. */
  public boolean test(String dataAction, String repository) {
    return root.eval(dataAction, repository);
  }

  private sealed interface Node {
    boolean eval(String action, String repository);
  }

  /** A chain of {@code AND}s, kept flat so that a long chain is no deep tree. */
  private record And(List<Node> all) implements Node {
    @Override
    public boolean eval(String a, String r) {
      for (Node n : all) {
        if (!n.eval(a, r)) {
          return false;
        }
      }
      return true;
    }
  }

  /** A chain of {@code OR}s, kept flat. */
  private record Or(List<Node> any) implements Node {
    @Override
    public boolean eval(String a, String r) {
      for (Node n : any) {
        if (n.eval(a, r)) {
          return true;
        }
      }
      return false;
    }
  }

  private record Not(Node inner) implements Node {
    @Override
    public boolean eval(String a, String r) {
      return !inner.eval(a, r);
    }
  }

  private record ActionMatches(List<String> patterns) implements Node {
    @Override
    public boolean eval(String a, String r) {
      return patterns.stream().anyMatch(p -> globMatches(p, a));
    }
  }

  /** {@code @Request[name] op values}: true when any value satisfies the operator. */
  private record Compare(String operator, List<String> values) implements Node {
    @Override
    public boolean eval(String a, String repository) {
      String op = operator.toLowerCase(Locale.ROOT);
      boolean ignoreCase = op.endsWith("ignorecase");
      String base = ignoreCase ? op.substring(0, op.length() - "ignorecase".length()) : op;
      boolean negated = base.startsWith("stringnot");
      String r = ignoreCase ? repository.toLowerCase(Locale.ROOT) : repository;
      boolean any = false;
      for (String value : values) {
        String v = ignoreCase ? value.toLowerCase(Locale.ROOT) : value;
        boolean hit =
            switch (base) {
              case "stringequals", "stringnotequals" -> r.equals(v);
              case "stringstartswith", "stringnotstartswith" -> r.startsWith(v);
              default -> throw new IllegalStateException("unchecked operator " + operator);
            };
        any |= hit;
      }
      return negated != any;
    }
  }

  /**
   * Whether {@code action} matches an {@code ActionMatches} pattern: Azure reads these patterns as
   * it reads a role's actions (case-insensitive, {@code *} any run of characters), so RBAC's own
   * matcher decides, linear and never backtracking without end.
   */
  static boolean globMatches(String pattern, String action) {
    return ActionPattern.matches(pattern, action);
  }

  private static final List<String> OPERATORS =
      List.of(
          "StringEquals",
          "StringEqualsIgnoreCase",
          "StringStartsWith",
          "StringStartsWithIgnoreCase",
          "StringNotEquals",
          "StringNotEqualsIgnoreCase",
          "StringNotStartsWith",
          "StringNotStartsWithIgnoreCase");

  /** Recursive descent: expression := term (OR term)*, term := factor (AND factor)*. */
  private static final class Parser {
    private final String s;
    private int i;
    private int depth;

    Parser(String s) {
      this.s = s;
    }

    Node expression() {
      List<Node> any = new ArrayList<>(List.of(term()));
      while (keyword("OR") || symbol("||")) {
        any.add(term());
      }
      return any.size() == 1 ? any.get(0) : new Or(List.copyOf(any));
    }

    Node term() {
      List<Node> all = new ArrayList<>(List.of(factor()));
      while (keyword("AND") || symbol("&&")) {
        all.add(factor());
      }
      return all.size() == 1 ? all.get(0) : new And(List.copyOf(all));
    }

    Node factor() {
      skipSpace();
      if (symbol("!") || keyword("NOT")) {
        enter();
        Node inner = new Not(factor());
        depth--;
        return inner;
      }
      if (symbol("(")) {
        enter();
        Node inner = expression();
        expect(")");
        depth--;
        return inner;
      }
      if (keyword("ActionMatches")) {
        expect("{");
        List<String> patterns = new ArrayList<>();
        do {
          patterns.add(quoted());
        } while (symbol(","));
        expect("}");
        return new ActionMatches(List.copyOf(patterns));
      }
      if (symbol("@Request[")) {
        int end = s.indexOf(']', i);
        if (end < 0) {
          throw new IllegalArgumentException("unterminated attribute");
        }
        String attribute = s.substring(i, end).strip();
        i = end + 1;
        if (!attribute.equalsIgnoreCase(REPOSITORY_NAME)) {
          throw new IllegalArgumentException("unknown attribute " + attribute);
        }
        skipSpace();
        boolean anyOf = symbol("ForAnyOfAnyValues:");
        String op = word();
        String operator =
            OPERATORS.stream()
                .filter(o -> o.equalsIgnoreCase(op))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown operator " + op));
        List<String> values = new ArrayList<>();
        skipSpace();
        if (anyOf || peek('{')) {
          expect("{");
          do {
            values.add(quoted());
          } while (symbol(","));
          expect("}");
        } else {
          values.add(quoted());
        }
        return new Compare(operator, List.copyOf(values));
      }
      throw new IllegalArgumentException("unexpected text at " + i);
    }

    private void enter() {
      if (++depth > MAX_DEPTH) {
        throw new IllegalArgumentException("nested deeper than " + MAX_DEPTH);
      }
    }

    String quoted() {
      skipSpace();
      if (i >= s.length() || s.charAt(i) != '\'') {
        throw new IllegalArgumentException("expected a quoted string at " + i);
      }
      int end = s.indexOf('\'', i + 1);
      if (end < 0) {
        throw new IllegalArgumentException("unterminated string");
      }
      String v = s.substring(i + 1, end);
      i = end + 1;
      return v;
    }

    String word() {
      skipSpace();
      int start = i;
      while (i < s.length() && Character.isLetter(s.charAt(i))) {
        i++;
      }
      return s.substring(start, i);
    }

    boolean keyword(String k) {
      skipSpace();
      int end = i + k.length();
      if (s.regionMatches(true, i, k, 0, k.length())
          && (end >= s.length() || !Character.isLetterOrDigit(s.charAt(end)))) {
        i = end;
        return true;
      }
      return false;
    }

    boolean symbol(String sym) {
      skipSpace();
      if (s.regionMatches(true, i, sym, 0, sym.length())) {
        i += sym.length();
        return true;
      }
      return false;
    }

    boolean peek(char c) {
      skipSpace();
      return i < s.length() && s.charAt(i) == c;
    }

    void expect(String sym) {
      if (!symbol(sym)) {
        throw new IllegalArgumentException("expected '" + sym + "' at " + i);
      }
    }

    void skipSpace() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }

    boolean atEnd() {
      return i >= s.length();
    }
  }
}
