package dev.berth.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shared router hands back the route record it was given, most specific template first. */
class RouterTest {

  private final Router<String> router =
      new Router<>(
          List.of(
              Route.of("GET", "/things/{rest...}", "generic get"),
              Route.of("GET", "/things/{name}/logs", "logs"),
              Route.of("PUT", "/things/{name}/logs", "logs put"),
              Route.of("GET", "/Things/{name}", "one thing")));

  @Test
  void aMatchCarriesItsRoutesOwnRecordAndVariables() {
    var found = (Router.Match.Found<String>) router.match("get", List.of("things", "a", "logs"));
    assertThat(found.route().payload()).isEqualTo("logs");
    assertThat(found.route().template()).isEqualTo("/things/{name}/logs");
    assertThat(found.vars()).containsExactly(Map.entry("name", "a"));
  }

  @Test
  void literalSegmentsMatchCaseInsensitivelyAndBeatAGreedyTail() {
    var found = (Router.Match.Found<String>) router.match("GET", List.of("THINGS", "a"));
    assertThat(found.route().payload()).isEqualTo("one thing");
    var deep = (Router.Match.Found<String>) router.match("GET", List.of("things", "a", "b", "c"));
    assertThat(deep.route().payload()).isEqualTo("generic get");
    assertThat(deep.vars()).containsEntry("rest", "a/b/c");
  }

  @Test
  void aKnownPathWithAnotherMethodListsTheAllowedOnes() {
    var refused =
        (Router.Match.MethodNotAllowed<String>)
            router.match("DELETE", List.of("things", "a", "logs"));
    assertThat(refused.allowed()).containsOnly("GET", "PUT");
    assertThat(router.match("GET", List.of("other"))).isInstanceOf(Router.Match.NotFound.class);
  }
}
