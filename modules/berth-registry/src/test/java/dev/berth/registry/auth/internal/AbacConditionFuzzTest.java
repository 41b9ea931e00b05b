package dev.berth.registry.auth.internal;

import static dev.berth.testing.Fuzz.frequency;
import static dev.berth.testing.Fuzz.joined;
import static dev.berth.testing.Fuzz.qt;
import static dev.berth.testing.Fuzz.unchecked;
import static dev.berth.testing.Fuzz.weighted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.berth.testing.Fuzz;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Random ABAC conditions, from the grammar's own tokens in random order and nesting: parsing and
 * evaluating never throw nor hang, an unparsable condition is empty (grants nothing), and the
 * wildcard matcher agrees with the regex it replaced on small inputs.
 */
class AbacConditionFuzzTest {

  private static final String NAME =
      "@Request[Microsoft.ContainerRegistry/registries/repositories:name]";

  /** A wildcard pattern and an action to match it against. */
  record Match(String pattern, String action) {}

  @Test
  void parsingAndEvaluatingNeverThrowNorHang() {
    qt(1000)
        .forAll(conditions())
        .checkAssert(
            unchecked(
                condition -> {
                  Optional<AbacCondition> parsed =
                      CompletableFuture.supplyAsync(() -> AbacCondition.parse(condition))
                          .get(5, TimeUnit.SECONDS);
                  if (parsed.isPresent()) {
                    CompletableFuture.supplyAsync(
                            () ->
                                parsed
                                    .get()
                                    .test(
                                        "Microsoft.ContainerRegistry/registries/repositories/content/read",
                                        "team-a/app"))
                        .get(5, TimeUnit.SECONDS);
                  }
                }));
  }

  @Test
  void theWildcardMatcherAgreesWithARegex() {
    qt(500)
        .forAll(Fuzz.strings("ab*.", 0, 8).zip(Fuzz.strings("abAB.", 0, 8), Match::new))
        .checkAssert(
            m -> {
              String regex =
                  ("\\Q" + m.pattern().toLowerCase(Locale.ROOT) + "\\E").replace("*", "\\E.*\\Q");
              boolean expected = Pattern.matches(regex, m.action().toLowerCase(Locale.ROOT));
              assertThat(AbacCondition.globMatches(m.pattern(), m.action())).isEqualTo(expected);
            });
  }

  private static Gen<String> conditions() {
    Gen<String> token =
        frequency(
            weighted(
                5,
                arbitrary()
                    .pick(
                        "(",
                        ")",
                        "!",
                        " NOT ",
                        " AND ",
                        " OR ",
                        " && ",
                        " || ",
                        NAME,
                        " StringEquals ",
                        " StringStartsWithIgnoreCase ",
                        " ForAnyOfAnyValues:",
                        "StringNotEquals",
                        "{",
                        "}",
                        ",",
                        "'team-a/'",
                        "'",
                        "ActionMatches{'*/read'}",
                        "ActionMatches{'" + "*a".repeat(40) + "'}",
                        "@Request[",
                        "]",
                        " ")),
            weighted(1, Fuzz.text(0, 5)));
    Gen<String> flat = joined(lists().of(token).ofSizeBetween(0, 40), "");
    Gen<String> deep =
        integers()
            .between(1, 200)
            .map(n -> "(".repeat(n) + NAME + " StringEquals 'a'" + ")".repeat(n));
    return frequency(weighted(9, flat), weighted(1, deep));
  }
}
