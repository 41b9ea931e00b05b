package dev.berth.store.internal.sqlite;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.berth.api.ResourceId;
import dev.berth.store.Precondition;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The child process of {@link SqliteDurabilityIT}: opens the store, then writes documents without
 * end, printing {@code ack <i>} after each put returns, until it is killed. It stops by itself
 * after a minute so that a test that dies first cannot leave it running.
 */
public final class DurabilityWriter {

  private DurabilityWriter() {}

  static ResourceId doc(int i) {
    return ResourceId.resourceGroup("s", "rg").provider("Test.Durability", "docs", "d" + i);
  }

  public static void main(String[] args) {
    long start = System.nanoTime();
    long deadline = start + TimeUnit.MINUTES.toNanos(1);
    SqliteResourceStore store = SqliteResourceStore.open(Path.of(args[0]));
    System.out.println(
        "opened in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
    for (int i = 0; System.nanoTime() < deadline; i++) {
      store.put(
          doc(i),
          JsonNodeFactory.instance.objectNode().put("i", i).put("payload", "x".repeat(200)),
          Precondition.ABSENT);
      System.out.println("ack " + i);
      System.out.flush();
    }
    store.close();
  }
}
