package dev.berth.store.internal.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.store.Precondition;
import dev.berth.store.ResourceStore;
import dev.berth.store.ResourceStoreConformance;
import dev.berth.store.StoredResource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.time.Clock;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SqliteResourceStoreTest extends ResourceStoreConformance {

  @Override
  protected ResourceStore newStore(Path dir, Clock clock) {
    return SqliteResourceStore.open(dir.resolve("berth.db"), clock);
  }

  @Test
  void aReopenedStoreSeesTheData() {
    StoredResource written = store.put(app("rg", "a"), body("v", 1), Precondition.NONE);
    store.close();

    store = SqliteResourceStore.open(dir.resolve("berth.db"));

    assertThat(store.get(app("rg", "a"))).contains(written);
  }

  @Test
  void theDatabaseAndItsWalAndShmAreReadableByTheirOwnerOnly() throws Exception {
    store.put(app("rg", "a"), body("v", 1), Precondition.NONE);
    Path db = dir.resolve("berth.db");

    for (String suffix : new String[] {"", "-wal", "-shm"}) {
      Path f = dir.resolve("berth.db" + suffix);
      assertThat(f).as(suffix).exists();
      assertThat(mode(f)).as("berth.db" + suffix).isEqualTo("rw-------");
    }

    // A database an older Berth left readable is made private when it is opened again.
    store.close();
    for (String suffix : new String[] {"", "-wal", "-shm"}) {
      Path f = dir.resolve("berth.db" + suffix);
      if (Files.exists(f)) {
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
      }
    }
    store = SqliteResourceStore.open(db);
    store.put(app("rg", "b"), body("v", 1), Precondition.NONE);
    for (String suffix : new String[] {"", "-wal", "-shm"}) {
      assertThat(mode(dir.resolve("berth.db" + suffix))).as(suffix).isEqualTo("rw-------");
    }
  }

  private static String mode(Path f) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(f));
  }

  @Test
  void rerunningTheMigrationsOnAnExistingDatabaseIsANoOp() {
    StoredResource written = store.put(app("rg", "a"), body("v", 1), Precondition.NONE);

    assertThat(SqliteSchema.migrate(dir.resolve("berth.db"))).isZero();
    assertThat(store.get(app("rg", "a"))).contains(written);
  }

  @Test
  void theNewestMigrationVersionIsTheOneTheFastPathExpects() throws Exception {
    Path migrations =
        Path.of(getClass().getClassLoader().getResource("db/migration/sqlite").toURI());
    int newest;
    try (Stream<Path> files = Files.list(migrations)) {
      newest =
          files
              .map(f -> f.getFileName().toString())
              .filter(name -> name.matches("V\\d+__.*\\.sql"))
              .mapToInt(name -> Integer.parseInt(name.substring(1, name.indexOf("__"))))
              .max()
              .orElseThrow();
    }
    assertThat(SqliteSchema.LATEST_VERSION).isEqualTo(newest);
  }

  @Test
  void aDatabaseIsCurrentOnlyOnceTheMigrationsRan() throws Exception {
    Path file = dir.resolve("other.db");
    try (Connection db = SqliteSchema.config().createConnection(SqliteSchema.url(file))) {
      assertThat(SqliteSchema.isCurrent(db)).isFalse();
      assertThat(SqliteSchema.migrate(file)).isPositive();
      assertThat(SqliteSchema.isCurrent(db)).isTrue();
    }
  }

  @Test
  void theConnectionUsesWalAndFsyncsEveryCommit() {
    SqliteResourceStore sqlite = (SqliteResourceStore) store;

    assertThat(sqlite.pragma("journal_mode")).isEqualTo("wal");
    assertThat(sqlite.pragma("synchronous")).isEqualTo("2"); // FULL
    assertThat(sqlite.pragma("foreign_keys")).isEqualTo("1");
    assertThat(Integer.parseInt(sqlite.pragma("busy_timeout"))).isPositive();
  }
}
