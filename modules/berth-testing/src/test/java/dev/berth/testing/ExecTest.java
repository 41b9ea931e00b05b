package dev.berth.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ExecTest {

  @Test
  void aCommandStillRunningAtItsDeadlineIsKilledWithItsChildrenAndFailsTheTest() {
    long started = System.nanoTime();
    AssertionError failure =
        catchThrowableOfType(
            AssertionError.class,
            () ->
                Exec.of("sh", "-c", "sleep 60 & echo child=$!; wait")
                    .timeout(Duration.ofMillis(500))
                    .run());
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    assertThat(failure).hasMessageContaining("did not finish within PT0.5S");
    Matcher child = Pattern.compile("child=(\\d+)").matcher(failure.getMessage());
    assertThat(child.find()).as(failure.getMessage()).isTrue();
    long pid = Long.parseLong(child.group(1));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
  }

  @Test
  void outputLargerThanAPipeBufferDoesNotBlockTheTool() throws Exception {
    Exec.Result r =
        Exec.of("sh", "-c", "head -c 1000000 /dev/zero | tr '\\0' x; echo >&2 done")
            .timeout(Duration.ofSeconds(20))
            .run();
    assertThat(r.exit()).isZero();
    assertThat(r.output()).hasSize(1_000_000 + "done\n".length());
  }

  @Test
  void stderrCanBeKeptApart() throws Exception {
    Exec.Result r = Exec.of("sh", "-c", "echo out; echo err >&2; exit 3").separateStderr().run();
    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.stdout()).isEqualTo("out\n");
    assertThat(r.stderr()).isEqualTo("err\n");
    assertThatThrownBy(r::requireSuccess).hasMessageContaining("exited with 3");
  }

  @Test
  void aMissingToolIsNamed() {
    assertThatThrownBy(() -> Exec.of("berth-no-such-tool", "x").run())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("berth-no-such-tool is required");
  }
}
