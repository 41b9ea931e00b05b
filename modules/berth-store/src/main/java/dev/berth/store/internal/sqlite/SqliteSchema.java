package dev.berth.store.internal.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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

  /** The newest bundled migration's version; a test keeps it in step with the files. */
  static final int LATEST_VERSION = 1;

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
   * True when the database has already applied {@link #LATEST_VERSION}. Read straight from Flyway's
   * history table, so that opening an up-to-date database does not start Flyway at all: that costs
   * about 250 ms in a cold JVM, an eighth of Berth's start-up budget. The price is that Flyway's
   * checksum validation only runs when there is something to migrate.
   */
  static boolean isCurrent(Connection db) throws SQLException {
    try (Statement statement = db.createStatement()) {
      try (ResultSet rs =
          statement.executeQuery(
              "SELECT 1 FROM sqlite_master WHERE type = 'table'"
                  + " AND name = 'flyway_schema_history'")) {
        if (!rs.next()) {
          return false;
        }
      }
      try (ResultSet rs =
          statement.executeQuery(
              "SELECT max(CAST(version AS INTEGER)) FROM flyway_schema_history WHERE success")) {
        return rs.next() && rs.getInt(1) >= LATEST_VERSION;
      }
    }
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
