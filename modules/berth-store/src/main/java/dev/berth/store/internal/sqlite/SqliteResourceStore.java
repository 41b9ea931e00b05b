package dev.berth.store.internal.sqlite;

import dev.berth.api.files.PrivateFiles;
import dev.berth.store.internal.jdbc.Dialect;
import dev.berth.store.internal.jdbc.JdbcResourceStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * The SQLite driver of {@link dev.berth.store.ResourceStore}: one database file in WAL mode whose
 * every commit is fsynced, one connection ({@link JdbcResourceStore}). A transaction begins with
 * {@code BEGIN IMMEDIATE}, which takes the file's write lock up front. Thread-safe.
 */
public final class SqliteResourceStore extends JdbcResourceStore {

  static final Dialect DIALECT =
      new Dialect(
          "SQLite",
          List.of("BEGIN IMMEDIATE"),
          "INSERT OR REPLACE INTO resources ("
              + Dialect.COLUMNS
              + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
          Set.of());

  private SqliteResourceStore(Connection db, Path file, Clock clock) {
    super(db, () -> SqliteSchema.config().createConnection(SqliteSchema.url(file)), DIALECT, clock);
  }

  /** Opens (creating it and its parent directories if needed) and migrates the database file. */
  public static SqliteResourceStore open(Path file) {
    return open(file, Clock.systemUTC());
  }

  /** Like {@link #open(Path)}, stamping {@code createdAt}/{@code updatedAt} from {@code clock}. */
  public static SqliteResourceStore open(Path file, Clock clock) {
    Path absolute = file.toAbsolutePath();
    try {
      PrivateFiles.createDirectories(absolute.getParent());
      makePrivate(absolute);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot create " + absolute + " readable by its owner only", e);
    }
    Connection db = null;
    try {
      db = SqliteSchema.config().createConnection(SqliteSchema.url(absolute));
      if (!SqliteSchema.isCurrent(db)) {
        SqliteSchema.migrate(absolute);
      }
      return new SqliteResourceStore(db, absolute, clock);
    } catch (SQLException e) {
      closeQuietly(db, e);
      throw new IllegalStateException("cannot open SQLite database " + absolute, e);
    } catch (RuntimeException e) { // a failed migration
      closeQuietly(db, e);
      throw e;
    }
  }

  /**
   * The database holds every document, so only its owner may read it. SQLite creates a database
   * 0644 (less the umask) but gives its {@code -wal}, {@code -shm} and {@code -journal} files the
   * mode of the database file itself (os_unix.c, {@code findCreateFileMode}): creating the database
   * 0600 before SQLite opens it (an empty file is an empty database) makes all of them 0600.
   * Existing files, from a Berth that made them readable, are set to 0600.
   */
  private static void makePrivate(Path database) throws IOException {
    PrivateFiles.ensureFile(database);
    for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
      Path f = database.resolveSibling(database.getFileName() + suffix);
      if (Files.exists(f, LinkOption.NOFOLLOW_LINKS)) {
        PrivateFiles.restrict(f);
      }
    }
  }

  private static void closeQuietly(Connection db, Exception cause) {
    try {
      if (db != null) {
        db.close();
      }
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  /** The value of a connection setting ({@code journal_mode}, {@code synchronous}), for tests. */
  String pragma(String name) {
    return withConnection(
        db -> {
          try (Statement statement = db.createStatement();
              ResultSet rs = statement.executeQuery("PRAGMA " + name)) {
            return rs.next() ? rs.getString(1) : "";
          }
        });
  }
}
