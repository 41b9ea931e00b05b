package dev.berth.registry.auth.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AbacConditionTest {

  private static final String READ =
      "Microsoft.ContainerRegistry/registries/repositories/content/read";
  private static final String WRITE =
      "Microsoft.ContainerRegistry/registries/repositories/content/write";
  private static final String GUARD =
      "(!(ActionMatches{'Microsoft.ContainerRegistry/registries/repositories/content/read'})"
          + " AND !(ActionMatches{'Microsoft.ContainerRegistry/registries/repositories/metadata/read'}))";
  private static final String NAME =
      "@Request[Microsoft.ContainerRegistry/registries/repositories:name]";

  @ParameterizedTest(name = "{0} on {1} {2} -> {3}")
  @CsvSource(
      delimiter = '|',
      value = {
        "exact        | hello-world  | read  | true",
        "exact        | HELLO-World  | read  | true",
        "exact        | hello        | read  | false",
        "exact        | other        | write | true",
        "prefix       | team-a/x     | read  | true",
        "prefix       | team-a/x/y   | read  | true",
        "prefix       | team-b/y     | read  | false",
        "prefix       | team-ab/y    | read  | false",
        "alternatives | team-a/x     | read  | true",
        "alternatives | tools        | read  | true",
        "alternatives | team-b/y     | read  | false",
        "anyof        | a            | read  | true",
        "anyof        | B            | read  | true",
        "anyof        | c            | read  | false",
      })
  void evaluatesTheCanonicalForms(String form, String repo, String action, boolean expected) {
    String condition =
        switch (form) {
          case "exact" -> "(" + GUARD + " OR (" + NAME + " StringEqualsIgnoreCase 'hello-world'))";
          case "prefix" -> "(" + GUARD + " OR (" + NAME + " StringStartsWithIgnoreCase 'team-a/'))";
          case "alternatives" ->
              "("
                  + GUARD
                  + " OR ("
                  + NAME
                  + " StringStartsWithIgnoreCase 'team-a/') OR ("
                  + NAME
                  + " StringEqualsIgnoreCase 'tools'))";
          default ->
              "("
                  + GUARD
                  + " OR ("
                  + NAME
                  + " ForAnyOfAnyValues:StringEqualsIgnoreCase {'a', 'b'}))";
        };
    var parsed = AbacCondition.parse(condition);
    assertThat(parsed).isPresent();
    assertThat(parsed.get().test(action.equals("read") ? READ : WRITE, repo)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "@Resource[Microsoft.Storage/x:name] StringEquals 'a'",
        "@Request[Microsoft.ContainerRegistry/registries/repositories:name] StringMatches 'a'",
        "((@Request[Microsoft.ContainerRegistry/registries/repositories:name] StringEquals 'a')",
        "garbage",
      })
  void refusesWhatItCannotParse(String condition) {
    assertThat(AbacCondition.parse(condition)).isEmpty();
  }

  @Test
  @Timeout(10)
  void aConditionNested50000DeepGrantsNothingAndOverflowsNoStack() throws Exception {
    String deep = "(".repeat(50_000) + NAME + " StringEquals 'a'" + ")".repeat(50_000);
    // Within 8 KB but 4 000 deep: only the depth limit stops this one.
    String deepButShort = "(".repeat(4_000) + NAME + " StringEquals 'a'" + ")".repeat(4_000);
    String negated = "!".repeat(8_000) + NAME + " StringEquals 'a'";
    assertThat(deepButShort.length()).isLessThan(AbacCondition.MAX_LENGTH);

    assertThat(onSmallStack(() -> AbacCondition.parse(deep))).isEmpty();
    assertThat(onSmallStack(() -> AbacCondition.parse(deepButShort))).isEmpty();
    assertThat(onSmallStack(() -> AbacCondition.parse(negated))).isEmpty();
  }

  /**
   * Runs {@code work} on a thread with a 256 KiB stack: a server's threads have less stack than a
   * test's main thread, which would hide an overflow.
   */
  private static <T> T onSmallStack(Supplier<T> work) throws Exception {
    var result = new AtomicReference<Object>();
    Thread t =
        new Thread(
            null,
            () -> {
              try {
                result.set(work.get());
              } catch (Throwable e) {
                result.set(e);
              }
            },
            "small-stack",
            256 * 1024);
    t.start();
    t.join();
    if (result.get() instanceof Throwable e) {
      throw new AssertionError("parsing threw " + e, e);
    }
    @SuppressWarnings("unchecked")
    T value = (T) result.get();
    return value;
  }

  @Test
  void nestingUpToTheLimitStillParses() {
    int depth = AbacCondition.MAX_DEPTH;
    String ok = "(".repeat(depth) + NAME + " StringEquals 'a'" + ")".repeat(depth);
    String over = "(".repeat(depth + 1) + NAME + " StringEquals 'a'" + ")".repeat(depth + 1);

    assertThat(AbacCondition.parse(ok)).isPresent();
    assertThat(AbacCondition.parse(over)).isEmpty();
  }

  @Test
  void aConditionLongerThan8KbGrantsNothing() {
    String values = "'x',".repeat(2100) + "'a'";
    String longer = NAME + " ForAnyOfAnyValues:StringEquals {" + values + "}";
    assertThat(longer.length()).isGreaterThan(AbacCondition.MAX_LENGTH);

    assertThat(AbacCondition.parse(longer)).isEmpty();
    assertThat(AbacCondition.parse("x".repeat(100_000))).isEmpty();
  }

  @Test
  @Timeout(value = 5, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aPatternOfManyWildcardsMatchesInLinearTime() {
    String pattern = "*a".repeat(3000) + "b";
    var parsed = AbacCondition.parse("ActionMatches{'" + pattern + "'}");

    assertThat(parsed).isPresent();
    assertThat(parsed.get().test("a".repeat(200), "r")).isFalse();
  }

  @ParameterizedTest(name = "{0} ~ {1} -> {2}")
  @CsvSource({
    "*, anything, true",
    "Microsoft.*/read, microsoft.containerregistry/read, true",
    "a*b*c, aXXbYYc, true",
    "a*b*c, aXXbYY, false",
    "*.read, x.read.write, false",
    "a**, a, true",
    "'', '', true",
    "'', a, false"
  })
  void globsMatchAsWildcardsWithoutRegex(String pattern, String action, boolean expected) {
    assertThat(AbacCondition.globMatches(pattern, action)).isEqualTo(expected);
  }
}
