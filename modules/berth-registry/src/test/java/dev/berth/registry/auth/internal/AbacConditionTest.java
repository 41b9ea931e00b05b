package dev.berth.registry.auth.internal;

import static org.assertj.core.api.Assertions.assertThat;

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
}
