package dev.berth.registry.auth.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Random ABAC conditions, from the grammar's own tokens in random order and nesting: parsing and
 * evaluating never throw nor hang, an unparsable condition is empty (grants nothing), and the
 * wildcard matcher agrees with the regex it replaced on small inputs.
 */
class AbacConditionFuzzTest {

  private static final String NAME =
      "@Request[Microsoft.ContainerRegistry/registries/repositories:name]";

  @Property(tries = 1000)
  void parsingAndEvaluatingNeverThrowNorHang(@ForAll("conditions") String condition)
      throws Exception {
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
  }

  @Property(tries = 500)
  void theWildcardMatcherAgreesWithARegex(
      @ForAll("globs") String pattern, @ForAll("actions") String action) {
    String regex = ("\\Q" + pattern.toLowerCase(Locale.ROOT) + "\\E").replace("*", "\\E.*\\Q");
    boolean expected = Pattern.matches(regex, action.toLowerCase(Locale.ROOT));
    assertThat(AbacCondition.globMatches(pattern, action)).isEqualTo(expected);
  }

  @Provide
  Arbitrary<String> conditions() {
    Arbitrary<String> token =
        Arbitraries.frequencyOf(
            Tuple.of(
                5,
                Arbitraries.of(
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
            Tuple.of(1, Arbitraries.strings().ofMaxLength(5)));
    Arbitrary<String> flat = token.list().ofMaxSize(40).map(l -> String.join("", l));
    Arbitrary<String> deep =
        Arbitraries.integers()
            .between(1, 200)
            .map(n -> "(".repeat(n) + NAME + " StringEquals 'a'" + ")".repeat(n));
    return Arbitraries.frequencyOf(Tuple.of(9, flat), Tuple.of(1, deep));
  }

  @Provide
  Arbitrary<String> globs() {
    return Arbitraries.strings().withChars("ab*.").ofMaxLength(8);
  }

  @Provide
  Arbitrary<String> actions() {
    return Arbitraries.strings().withChars("abAB.").ofMaxLength(8);
  }
}
