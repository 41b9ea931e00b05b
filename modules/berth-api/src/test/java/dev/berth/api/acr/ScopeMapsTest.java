package dev.berth.api.acr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.acr.AccessDecision.Reason;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a scope map lets a repository-scoped token do. */
class ScopeMapsTest {

  @ParameterizedTest(name = "{0} lets {2} on {1}: {3}")
  @CsvSource({
    "repositories/api/content/read, api, pull, true",
    "repositories/API/content/read, api, pull, true",
    "repositories/api/content/read, api, push, false",
    "repositories/api/content/read, api2, pull, false",
    "repositories/team/*/content/read, team/api, pull, true",
    "repositories/team/*/content/read, teamx/api, pull, false",
    "repositories/*/metadata/read, any/thing, metadata_read, true",
    "repositories/*/content/delete, api, delete, true",
    "repositories/content/read, content, pull, false",
    "repositories/api/content/read, api, catalog, false",
  })
  void aRuleGrantsItsActionOnItsRepositories(String rule, String repo, String action, boolean ok) {
    assertThat(ScopeMaps.allows(List.of(rule), repo, action)).isEqualTo(ok);
  }

  @Test
  void aTokenWhoseMapLeavesTheRepositoryOutIsRefusedUnlessAnonymousPullOpensIt() throws Exception {
    Registry closed = RegistryTest.registry("{}");
    Registry open = RegistryTest.registry("{\"properties\":{\"anonymousPullEnabled\":true}}");
    List<String> rules = List.of("repositories/other/content/read");

    AccessDecision refused = ScopeMaps.decide(closed, "ci", rules, "api", "pull");
    assertThat(refused.answer().orElseThrow().reason()).isEqualTo(Reason.SCOPE_MAP_EXCLUDES);
    assertThat(refused.answer().orElseThrow().message())
        .isEqualTo(
            "the scope map of token 'ci' of registry 'myacr' holds no repositories/api/content/read");
    assertThat(ScopeMaps.decide(open, "ci", rules, "api", "pull").isGranted()).isTrue();
    assertThat(ScopeMaps.decide(open, "ci", rules, "api", "push").isGranted()).isFalse();
  }
}
