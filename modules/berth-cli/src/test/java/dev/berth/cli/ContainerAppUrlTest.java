package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The URL {@code containerapp create} prints names the ingress port unless it is 443. */
class ContainerAppUrlTest {

  @Test
  void thePortIsPrintedOnlyWhenItIsNot443() {
    assertThat(ContainerApps.url("web.env.abc.localhost", 443))
        .isEqualTo("https://web.env.abc.localhost");
    assertThat(ContainerApps.url("web.env.abc.localhost", 10443))
        .isEqualTo("https://web.env.abc.localhost:10443");
  }
}
