package dev.berth.store.internal.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.berth.store.StoredResource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves that a write acknowledged by {@code put} survives the process being killed with SIGKILL
 * mid-stream. (Power loss is what synchronous=FULL adds on top; a test cannot pull the plug.)
 */
class SqliteDurabilityIT {

  private static final int ACKS_BEFORE_KILL = 50;

  @TempDir Path dir;

  @Test
  void everyAcknowledgedWriteSurvivesAKill9() throws Exception {
    Path file = dir.resolve("berth.db");
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                DurabilityWriter.class.getName(),
                file.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    int lastAck = -1;
    try {
      lastAck =
          assertTimeoutPreemptively(
              Duration.ofSeconds(60), () -> readAcks(child, ACKS_BEFORE_KILL));
    } finally {
      child.destroyForcibly(); // SIGKILL: no shutdown hooks, no close, no checkpoint
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    try (SqliteResourceStore store = SqliteResourceStore.open(file)) {
      for (int i = 0; i <= lastAck; i++) {
        StoredResource doc = store.get(DurabilityWriter.doc(i)).orElse(null);
        assertThat(doc).as("acknowledged write %d", i).isNotNull();
        assertThat(doc.body().get("i").asInt()).isEqualTo(i);
        assertThat(doc.body().get("payload").asText()).hasSize(200);
      }
    }
  }

  /** Reads the child's output until it has acknowledged {@code wanted} writes; the last ack. */
  private static int readAcks(Process child, int wanted) throws Exception {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    int acks = 0;
    int last = -1;
    String line;
    while (acks < wanted && (line = out.readLine()) != null) {
      if (line.startsWith("ack ")) {
        last = Integer.parseInt(line.substring(4));
        acks++;
      } else {
        System.out.println("durability writer: " + line);
      }
    }
    assertThat(acks).as("acks before the writer's output ended").isEqualTo(wanted);
    return last;
  }
}
