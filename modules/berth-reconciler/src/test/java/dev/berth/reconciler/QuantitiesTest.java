package dev.berth.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.reconciler.internal.Quantities;
import org.junit.jupiter.api.Test;

class QuantitiesTest {

  @Test
  void memoryQuantitiesAreReadAsContainerAppsWritesThem() {
    assertThat(Quantities.memoryBytes("0.5Gi")).isEqualTo(512L * 1024 * 1024);
    assertThat(Quantities.memoryBytes("1Gi")).isEqualTo(1L << 30);
    assertThat(Quantities.memoryBytes("512Mi")).isEqualTo(512L << 20);
    assertThat(Quantities.memoryBytes("1G")).isEqualTo(1_000_000_000L);
    assertThat(Quantities.memoryBytes("")).isZero();
  }

  @Test
  void anythingElseIsRefusedByName() {
    assertThatThrownBy(() -> Quantities.memoryBytes("lots"))
        .hasMessage("not a memory quantity: 'lots'");
    assertThatThrownBy(() -> Quantities.memoryBytes("1Gii"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
