package dev.berth.store.internal.sqlite;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ResourceId;
import dev.berth.api.files.PrivateFiles;
import dev.berth.store.Page;
import dev.berth.store.Precondition;
import dev.berth.store.PreconditionFailedException;
import dev.berth.store.Query;
import dev.berth.store.ResourceStore;
import dev.berth.store.StoredResource;
import dev.berth.store.internal.ChangeListeners;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The SQLite driver of {@link ResourceStore}: one database file in WAL mode whose every commit is
 * fsynced. Thread-safe: one connection guarded by one reentrant lock serialises all calls; a
 * transaction holds the lock from {@code BEGIN} to {@code COMMIT}, so the thread that owns it
 * re-enters freely and nobody else sees it half done.
 */
public final class SqliteResourceStore implements ResourceStore {

  private final ChangeListeners listeners = new ChangeListeners();

  private final ReentrantLock lock = new ReentrantLock();
  private final Connection db;
  private final ResourceTable table;
  private final Clock clock;
  // Transactions open on the lock's owner: 0 outside, 1 inside BEGIN, more inside savepoints.
  private int depth;
  private boolean closed;

  private SqliteResourceStore(Connection db, Clock clock) {
    this.db = db;
    this.table = new ResourceTable(db);
    this.clock = clock;
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
      return new SqliteResourceStore(db, clock);
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

  @Override
  public Optional<StoredResource> get(ResourceId id) {
    return locked(() -> table.select(id));
  }

  @Override
  public StoredResource put(ResourceId id, ObjectNode body, Precondition precondition) {
    // Serialised before anything else: later changes to the caller's object cannot reach the store.
    String json = ResourceTable.write(Objects.requireNonNull(body, "body"));
    return locked(
        () ->
            atomically(
                () -> {
                  StoredResource current = table.select(id).orElse(null);
                  if (!precondition.test(current)) {
                    throw new PreconditionFailedException(id, precondition, current);
                  }
                  Instant now = clock.instant();
                  StoredResource next =
                      new StoredResource(
                          id,
                          ResourceTable.read(json),
                          UUID.randomUUID().toString(),
                          current == null ? 1 : current.generation() + 1,
                          current == null ? now : current.createdAt(),
                          now);
                  table.upsert(next, json);
                  listeners.changed(id);
                  return next;
                }));
  }

  @Override
  public Optional<StoredResource> delete(ResourceId id, Precondition precondition) {
    return locked(
        () ->
            atomically(
                () -> {
                  Optional<StoredResource> current = table.select(id);
                  if (!precondition.test(current.orElse(null))) {
                    throw new PreconditionFailedException(id, precondition, current.orElse(null));
                  }
                  if (current.isPresent()) {
                    table.update("DELETE FROM resources WHERE id_key = ?", id.key());
                    listeners.changed(id);
                  }
                  return current;
                }));
  }

  @Override
  public int deleteTree(ResourceId id) {
    int deleted =
        id.isRoot()
            ? locked(() -> table.update("DELETE FROM resources"))
            : locked(
                () ->
                    table.update(
                        "DELETE FROM resources WHERE id_key = ? OR (id_key >= ? AND id_key < ?)",
                        id.key(),
                        subtreeFrom(id),
                        subtreeUntil(id)));
    listeners.changed(id);
    return deleted;
  }

  @Override
  public Page list(Query query) {
    StringBuilder sql = new StringBuilder("WHERE type_key = ?");
    List<Object> args = new ArrayList<>(List.of(query.type().toLowerCase(Locale.ROOT)));
    ResourceId scope = query.scope();
    switch (query.depth()) {
      case CHILDREN -> {
        sql.append(" AND parent_key = ?");
        args.add(scope.key());
      }
      case DESCENDANTS -> {
        if (scope.isRoot()) {
          sql.append(" AND id_key <> ?");
          args.add(scope.key());
        } else {
          sql.append(" AND id_key >= ? AND id_key < ?");
          args.add(subtreeFrom(scope));
          args.add(subtreeUntil(scope));
        }
      }
    }
    query
        .after()
        .ifPresent(
            after -> {
              sql.append(" AND id_key > ?");
              args.add(after);
            });
    // One row more than asked tells whether another page follows.
    sql.append(" ORDER BY id_key LIMIT ?");
    args.add(query.limit() + 1);
    List<StoredResource> rows = locked(() -> table.selectAll(sql.toString(), args.toArray()));
    if (rows.size() <= query.limit()) {
      return new Page(rows, Optional.empty());
    }
    List<StoredResource> items = rows.subList(0, query.limit());
    return new Page(items, Optional.of(items.get(items.size() - 1).id().key()));
  }

  @Override
  public AutoCloseable watch(Consumer<ResourceId> listener) {
    return listeners.add(listener);
  }

  @Override
  public <T> T inTransaction(Function<ResourceStore, T> work) {
    return locked(() -> atomically(() -> work.apply(this)));
  }

  @Override
  public void close() {
    lock.lock();
    try {
      if (!closed) {
        closed = true;
        db.close();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot close SQLite database", e);
    } finally {
      lock.unlock();
    }
  }

  /** The value of a connection setting ({@code journal_mode}, {@code synchronous}), for tests. */
  String pragma(String name) {
    return locked(() -> table.pragma(name));
  }

  /*
   * The keys beneath a scope are those starting with "key/". '0' follows '/' in ASCII, so they are
   * exactly the range ["key/", "key0"): an index range scan, and no LIKE wildcards ('_' and '%' are
   * legal in names) to escape. A sibling with a longer name, "rg10", is not below "rg1" + "0" = "rg10",
   * so it stays out.
   */
  private static String subtreeFrom(ResourceId scope) {
    return scope.key() + "/";
  }

  private static String subtreeUntil(ResourceId scope) {
    return scope.key() + "0";
  }

  /** A piece of work on the connection; runs with the lock held. */
  private interface SqlWork<T> {
    T run() throws SQLException;
  }

  private <T> T locked(SqlWork<T> work) {
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("the store is closed");
      }
      return work.run();
    } catch (SQLException e) {
      throw new IllegalStateException("SQLite: " + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs {@code work} in a transaction, or in a savepoint of the one already open, so a nested call
   * that fails undoes only its own writes (as the in-memory store does). {@code BEGIN IMMEDIATE}
   * takes the write lock up front: another process cannot slip a write between our read and write.
   */
  private <T> T atomically(SqlWork<T> work) throws SQLException {
    int level = depth;
    table.execute(level == 0 ? "BEGIN IMMEDIATE" : "SAVEPOINT s" + level);
    depth = level + 1;
    try {
      T result = work.run();
      table.execute(level == 0 ? "COMMIT" : "RELEASE s" + level);
      return result;
    } catch (Throwable t) {
      try {
        if (level == 0) {
          table.execute("ROLLBACK");
        } else {
          table.execute("ROLLBACK TO s" + level);
          table.execute("RELEASE s" + level);
        }
      } catch (SQLException rollbackFailed) {
        t.addSuppressed(rollbackFailed);
      }
      throw t;
    } finally {
      depth = level;
    }
  }
}
