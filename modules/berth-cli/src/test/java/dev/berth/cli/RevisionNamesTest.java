package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RevisionNamesTest {

  @Test
  void theAppIsEverythingBeforeTheLastDoubleDash() {
    assertThat(RevisionNames.appOf("api--v1")).isEqualTo("api");
    assertThat(RevisionNames.appOf("my-app--0wlqy09")).isEqualTo("my-app");
  }

  @Test
  void aNameWithoutAppOrSuffixIsRefusedWithAHint() {
    for (String bad : new String[] {"v1", "--v1", "api--"}) {
      assertThatThrownBy(() -> RevisionNames.appOf(bad))
          .isInstanceOf(CliFailure.class)
          .hasMessageContaining("--name");
    }
  }
}
