package dev.berth.store.internal.postgres;

import dev.berth.store.internal.jdbc.Dialect;
import dev.berth.store.internal.jdbc.JdbcResourceStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The PostgreSQL driver of {@link dev.berth.store.ResourceStore}: the {@code resources} table in a
 * database of a PostgreSQL server, one connection ({@link JdbcResourceStore}). Every transaction
 * takes one transaction-level advisory lock first, so the writers of every Berth process sharing
 * the database take turns, as SQLite's {@code BEGIN IMMEDIATE} makes them; reads take no lock. A
 * commit is durable as the server's {@code synchronous_commit} makes it (on by default).
 * Thread-safe.
 */
public final class PostgresResourceStore extends JdbcResourceStore {

  /** The advisory lock every transaction takes: "berth" in ASCII. */
  static final long WRITE_LOCK = 0x6265727468L;

  /** The session lock an exclusive store holds for as long as it is connected. */
  static final long OWNER_LOCK = WRITE_LOCK + 1;

  /** Whether one store may have the database alone ({@link #EXCLUSIVE}) or share it. */
  public enum Sharing {
    /** One Berth per database: a second one is refused while the first is connected. */
    EXCLUSIVE,
    /** Several stores at once, taking turns in their transactions (tests of that). */
    SHARED
  }

  static final String MIGRATIONS = "classpath:db/migration/postgresql";

  static final Dialect DIALECT =
      new Dialect(
          "PostgreSQL",
          List.of("BEGIN", "SELECT pg_advisory_xact_lock(" + WRITE_LOCK + ")"),
          "INSERT INTO resources ("
              + Dialect.COLUMNS
              + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id_key) DO UPDATE SET"
              + " id = EXCLUDED.id, type_key = EXCLUDED.type_key,"
              + " parent_key = EXCLUDED.parent_key, body = EXCLUDED.body, etag = EXCLUDED.etag,"
              + " generation = EXCLUDED.generation, created_at = EXCLUDED.created_at,"
              + " updated_at = EXCLUDED.updated_at",
          // Connection exceptions, and the server shutting down or restarting.
          Set.of("08", "57P01", "57P02", "57P03"));

  private PostgresResourceStore(Connection db, Connector connector, Clock clock) {
    super(db, connector, DIALECT, clock);
  }

  /**
   * Connects to the database {@code jdbcUrl} names and brings it to the newest schema (Flyway,
   * which also makes concurrent starts of several Berth processes take turns). An {@link
   * Sharing#EXCLUSIVE} store first takes the database's owner lock, a session lock it holds as long
   * as it is connected: while another process holds it, opening fails, and so do the calls of a
   * store whose connection was lost and that finds it taken when it connects again.
   *
   * @param jdbcUrl {@code jdbc:postgresql://host:port/database?user=…}; the password, when the
   *     server asks for one, comes from {@code ~/.pgpass} or {@code PGPASSFILE}, as with libpq
   * @throws IllegalStateException when the server cannot be reached, the schema not migrated, or
   *     another exclusive store has the database
   */
  public static PostgresResourceStore open(String jdbcUrl, Clock clock, Sharing sharing) {
    Connector connector =
        sharing == Sharing.EXCLUSIVE
            ? () -> claimed(DriverManager.getConnection(jdbcUrl), jdbcUrl)
            : () -> DriverManager.getConnection(jdbcUrl);
    Connection db = null;
    try {
      db = connector.open();
      PGSimpleDataSource source = new PGSimpleDataSource();
      source.setUrl(jdbcUrl);
      Flyway.configure(PostgresResourceStore.class.getClassLoader())
          .dataSource(source)
          .locations(MIGRATIONS)
          .loggers("slf4j")
          .load()
          .migrate();
      return new PostgresResourceStore(db, connector, clock);
    } catch (SQLException | FlywayException e) {
      closeQuietly(db);
      throw new IllegalStateException(
          "cannot open the PostgreSQL store at " + withoutQuery(jdbcUrl) + ": " + reason(e), e);
    }
  }

  /** {@code db}, once it holds the owner lock; closed when another session holds it. */
  private static Connection claimed(Connection db, String jdbcUrl) throws SQLException {
    boolean owner;
    try (Statement statement = db.createStatement();
        ResultSet rs = statement.executeQuery("SELECT pg_try_advisory_lock(" + OWNER_LOCK + ")")) {
      owner = rs.next() && rs.getBoolean(1);
    } catch (SQLException e) {
      closeQuietly(db);
      throw e;
    }
    if (!owner) {
      closeQuietly(db);
      throw new SQLException(
          "another Berth uses the database "
              + withoutQuery(jdbcUrl)
              + " (one Berth per database): stop it, or give this one a database of its own",
          "55P03");
    }
    return db;
  }

  private static void closeQuietly(Connection db) {
    try {
      if (db != null) {
        db.close();
      }
    } catch (SQLException e) {
      // closing a connection that is of no use
    }
  }

  /** The database's own words: Flyway wraps them in a report of many lines. */
  private static String reason(Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql) {
        return sql.getMessage();
      }
    }
    return e.getMessage();
  }

  /** The URL for messages: its query may hold more than a reader needs. */
  static String withoutQuery(String jdbcUrl) {
    int q = jdbcUrl.indexOf('?');
    return q < 0 ? jdbcUrl : jdbcUrl.substring(0, q);
  }
}
