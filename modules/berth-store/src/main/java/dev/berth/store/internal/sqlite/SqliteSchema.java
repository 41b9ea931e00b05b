package dev.berth.store.internal.sqlite;

import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Opens SQLite connections with Berth's settings and brings a database file to the newest schema
 * with Flyway ({@code db/migration/sqlite/V<n>__*.sql}). Stateless and thread-safe; Flyway itself
 * serialises concurrent migrations of one file through the database lock.
 */
final class SqliteSchema {

  static final String MIGRATIONS = "classpath:db/migration/sqlite";

  /** How long a writer waits for another process's write lock before failing with SQLITE_BUSY. */
  static final int BUSY_TIMEOUT_MILLIS = 10_000;

  private SqliteSchema() {}

  /**
   * WAL lets readers run beside the writer; synchronous=FULL fsyncs the WAL on every commit, so an
   * acknowledged write survives power loss, not only a killed process (NORMAL would only survive
   * the latter).
   */
  static SQLiteConfig config() {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
    config.enforceForeignKeys(true);
    return config;
  }

  static String url(Path file) {
    return "jdbc:sqlite:" + file.toAbsolutePath();
  }

  /**
   * Applies the migrations the file has not seen yet, each in its own transaction.
   *
   * @return how many migrations ran (0 when the schema was already current)
   */
  static int migrate(Path file) {
    SQLiteDataSource dataSource = new SQLiteDataSource(config());
    dataSource.setUrl(url(file));
    return Flyway.configure(SqliteSchema.class.getClassLoader())
        .dataSource(dataSource)
        .locations(MIGRATIONS)
        .loggers("slf4j")
        .load()
        .migrate()
        .migrationsExecuted;
  }
}
