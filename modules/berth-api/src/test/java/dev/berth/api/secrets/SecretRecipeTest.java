package dev.berth.api.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SecretRecipeTest {

  /**
   * Without the guard, about one secret in 64 starts with '-'; 4000 draws would all but surely hit
   * one.
   */
  @Test
  void secretsNeverStartWithADashThatCommandLinesWouldTakeForAnOption() {
    assertThat(IntStream.range(0, 4000).mapToObj(i -> SecretRecipe.newSecret()))
        .allSatisfy(s -> assertThat(s).hasSize(43).doesNotStartWith("-"));
  }
}
