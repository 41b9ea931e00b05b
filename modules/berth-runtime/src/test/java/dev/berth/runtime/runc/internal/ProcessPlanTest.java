package dev.berth.runtime.runc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.runtime.image.ImageConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessPlanTest {

  private static final ImageConfig IMAGE =
      new ImageConfig(
          List.of("/entry"),
          List.of("cmd1", "cmd2"),
          List.of("A=1", "PATH=/bin"),
          "/app",
          "",
          List.of());

  private static List<String> argv(ImageConfig image, List<String> command, List<String> args) {
    return ProcessPlan.of(image, command, args, Map.of(), "r1").args();
  }

  @Test
  void withNeitherCommandNorArgsTheImageDecides() {
    assertThat(argv(IMAGE, List.of(), List.of())).containsExactly("/entry", "cmd1", "cmd2");
  }

  @Test
  void aCommandReplacesTheEntrypointAndDropsTheImageCmd() {
    assertThat(argv(IMAGE, List.of("/bin/sh"), List.of())).containsExactly("/bin/sh");
  }

  @Test
  void argsReplaceOnlyTheCmd() {
    assertThat(argv(IMAGE, List.of(), List.of("x"))).containsExactly("/entry", "x");
    assertThat(argv(IMAGE, List.of("/bin/sh"), List.of("-c", "true")))
        .containsExactly("/bin/sh", "-c", "true");
  }

  @Test
  void nothingToRunIsAnError() {
    ImageConfig empty = new ImageConfig(List.of(), List.of(), List.of(), "", "", List.of());
    assertThatThrownBy(() -> argv(empty, List.of(), List.of()))
        .hasMessageContaining("the image has no entrypoint or cmd");
  }

  @Test
  void theAppsEnvironmentOverridesTheImagesAndHostnameAndPathAreSet() {
    ProcessPlan plan = ProcessPlan.of(IMAGE, List.of(), List.of(), Map.of("A", "2"), "r1");
    assertThat(plan.env()).containsExactly("A=2", "PATH=/bin", "HOSTNAME=r1");
    assertThat(plan.cwd()).isEqualTo("/app");

    ImageConfig bare = new ImageConfig(List.of("x"), List.of(), List.of(), "", "", List.of());
    ProcessPlan defaults = ProcessPlan.of(bare, List.of(), List.of(), Map.of(), "r1");
    assertThat(defaults.env()).contains("PATH=" + ProcessPlan.DEFAULT_PATH);
    assertThat(defaults.cwd()).isEqualTo("/");
  }
}
