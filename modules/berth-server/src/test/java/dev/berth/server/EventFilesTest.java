package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several apps' system logs read as one stream, as the environment's event stream reads them. */
class EventFilesTest {

  @TempDir Path dir;

  private static String event(String stamp, String app) {
    return "{\"TimeStamp\":\"" + stamp + " +0000 UTC\",\"ContainerAppName\":\"" + app + "\"}\n";
  }

  @Test
  void theLastEventsOfAllAppsComeInOrderOfTimeAndAMissingFileIsEmpty() throws Exception {
    Path a = dir.resolve("a.log");
    Path b = dir.resolve("b.log");
    Files.writeString(a, event("2026-01-01 10:00:01", "a") + event("2026-01-01 10:00:03", "a"));
    Files.writeString(b, event("2026-01-01 10:00:02", "b") + event("2026-01-01 10:00:04", "b"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    new EventFiles(List.of(a, dir.resolve("none.log"), b), Duration.ofMillis(10), Duration.ZERO)
        .write(out, 3, false);

    assertThat(out.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            event("2026-01-01 10:00:02", "b")
                + event("2026-01-01 10:00:03", "a")
                + event("2026-01-01 10:00:04", "b"));
  }

  @Test
  void followingSendsWholeLinesAppendedToAnyFileIncludingOneThatAppearsLater() throws Exception {
    Path a = dir.resolve("a.log");
    Path late = dir.resolve("late.log");
    Files.writeString(a, event("2026-01-01 10:00:01", "a"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Thread writer =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    Thread.sleep(100);
                    Files.writeString(late, event("2026-01-01 10:00:05", "late") + "{\"partial");
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });

    new EventFiles(List.of(a, late), Duration.ofMillis(20), Duration.ofMillis(600))
        .write(out, 0, true);
    writer.join();

    assertThat(out.toString(StandardCharsets.UTF_8))
        .as("no history (tail 0), the new whole line, not the unfinished one")
        .isEqualTo(event("2026-01-01 10:00:05", "late"));
  }
}
