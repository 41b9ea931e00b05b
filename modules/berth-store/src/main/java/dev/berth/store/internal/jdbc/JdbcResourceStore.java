package dev.berth.store.internal.jdbc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ResourceId;
import dev.berth.store.Page;
import dev.berth.store.Precondition;
import dev.berth.store.PreconditionFailedException;
import dev.berth.store.Query;
import dev.berth.store.ResourceStore;
import dev.berth.store.StoreUnavailableException;
import dev.berth.store.StoredResource;
import dev.berth.store.internal.ChangeListeners;
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
 * {@link ResourceStore} over one JDBC connection to a database with the {@code resources} table
 * (docs/store.md); the drivers ({@code sqlite}, {@code postgres}) give it their {@link Dialect}.
 * Thread-safe: one reentrant lock serialises all calls; a transaction holds the lock from its begin
 * to its commit, so the thread that owns it re-enters freely and nobody else sees it half done.
 * Writers in other processes are kept out by the dialect's begin (the database's own lock). A
 * connection that the database reports lost is replaced at the next call.
 */
public class JdbcResourceStore implements ResourceStore {

  /** Opens a connection to the store's database. */
  @FunctionalInterface
  public interface Connector {
    Connection open() throws SQLException;
  }

  /** A piece of work on the connection; runs with the lock held. */
  @FunctionalInterface
  private interface SqlWork<T> {
    T run() throws SQLException;
  }

  /** A driver's own query on the connection, with the lock held. */
  @FunctionalInterface
  protected interface ConnectionWork<T> {
    T run(Connection db) throws SQLException;
  }

  private final ChangeListeners listeners = new ChangeListeners();
  private final ReentrantLock lock = new ReentrantLock();
  private final Connector connector;
  private final Dialect dialect;
  private final Clock clock;
  private Connection db;
  private ResourceTable table;
  // Transactions open on the lock's owner: 0 outside, 1 inside the begin, more inside savepoints.
  private int depth;
  private boolean lost;
  private boolean closed;

  /**
   * @param db an open connection, already migrated; the store owns it from now on
   * @param connector opens a new connection when the database reported this one lost
   */
  protected JdbcResourceStore(Connection db, Connector connector, Dialect dialect, Clock clock) {
    this.connector = connector;
    this.dialect = dialect;
    this.clock = clock;
    use(db);
  }

  private void use(Connection connection) {
    this.db = connection;
    this.table = new ResourceTable(connection, dialect);
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
    // In a transaction, so a writer of another process takes its turn before or after it.
    int deleted =
        id.isRoot()
            ? locked(() -> atomically(() -> table.update("DELETE FROM resources")))
            : locked(
                () ->
                    atomically(
                        () ->
                            table.update(
                                "DELETE FROM resources WHERE id_key = ? OR (id_key >= ? AND"
                                    + " id_key < ?)",
                                id.key(),
                                subtreeFrom(id),
                                subtreeUntil(id))));
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
        if (db != null) {
          db.close();
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot close the " + dialect.name() + " database", e);
    } finally {
      lock.unlock();
    }
  }

  /*
   * The keys beneath a scope are those starting with "key/". '0' follows '/' in ASCII, so they are
   * exactly the range ["key/", "key0"): an index range scan, and no LIKE wildcards ('_' and '%' are
   * legal in names) to escape. A sibling with a longer name, "rg10", is not below "rg1" + "0" = "rg10",
   * so it stays out. The key columns compare byte by byte (SQLite's BINARY, PostgreSQL's "C").
   */
  private static String subtreeFrom(ResourceId scope) {
    return scope.key() + "/";
  }

  private static String subtreeUntil(ResourceId scope) {
    return scope.key() + "0";
  }

  /** Every document, in key order: a store copied whole ({@code ResourceStores.copy}). */
  public final List<StoredResource> everything() {
    return locked(() -> table.selectAll("ORDER BY id_key"));
  }

  /**
   * Writes {@code documents} as they are, etags, generations and times kept, into this store, which
   * must be empty; all or none, in one transaction. Watchers hear nothing: nothing runs on a store
   * being filled.
   *
   * @return how many were written
   * @throws IllegalStateException when the store already holds a document
   */
  public final int restore(List<StoredResource> documents) {
    return locked(
        () ->
            atomically(
                () -> {
                  if (!table.selectAll("LIMIT 1").isEmpty()) {
                    throw new IllegalStateException(
                        "the " + dialect.name() + " store to copy into is not empty");
                  }
                  for (StoredResource doc : documents) {
                    table.upsert(doc, ResourceTable.write(doc.body()));
                  }
                  return documents.size();
                }));
  }

  /** Runs {@code work} on the connection with the lock held, for a driver's own queries. */
  protected final <T> T withConnection(ConnectionWork<T> work) {
    return locked(() -> work.run(db));
  }

  private <T> T locked(SqlWork<T> work) {
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("the store is closed");
      }
      if (db == null) {
        use(connector.open());
      }
      return work.run();
    } catch (SQLException e) {
      String message = dialect.name() + ": " + e.getMessage();
      if (dialect.lostConnection(e.getSQLState())) {
        lost = true;
        throw new StoreUnavailableException(message, e);
      }
      throw new IllegalStateException(message, e);
    } finally {
      if (lost && depth == 0) {
        dropConnection();
      }
      lock.unlock();
    }
  }

  /** The database said the connection is gone: the next call opens another. */
  private void dropConnection() {
    lost = false;
    try {
      if (db != null) {
        db.close();
      }
    } catch (SQLException e) {
      // it is gone already
    }
    db = null;
    table = null;
  }

  /** The dialect's begin; when a later statement of it fails, the transaction is rolled back. */
  private void begin() throws SQLException {
    for (int i = 0; i < dialect.begin().size(); i++) {
      try {
        table.execute(dialect.begin().get(i));
      } catch (SQLException e) {
        if (i > 0) {
          try {
            table.execute("ROLLBACK");
          } catch (SQLException rollbackFailed) {
            e.addSuppressed(rollbackFailed);
          }
        }
        throw e;
      }
    }
  }

  /**
   * Runs {@code work} in a transaction, or in a savepoint of the one already open, so a nested call
   * that fails undoes only its own writes (as the in-memory store does). The dialect's begin takes
   * the write lock up front: another process cannot slip a write between our read and write.
   */
  private <T> T atomically(SqlWork<T> work) throws SQLException {
    int level = depth;
    if (level == 0) {
      begin();
    } else {
      table.execute("SAVEPOINT s" + level);
    }
    depth = level + 1;
    try {
      T result = work.run();
      table.execute(level == 0 ? "COMMIT" : "RELEASE SAVEPOINT s" + level);
      return result;
    } catch (Throwable t) {
      try {
        if (level == 0) {
          table.execute("ROLLBACK");
        } else {
          table.execute("ROLLBACK TO SAVEPOINT s" + level);
          table.execute("RELEASE SAVEPOINT s" + level);
        }
      } catch (SQLException rollbackFailed) {
        lost |= dialect.lostConnection(rollbackFailed.getSQLState());
        t.addSuppressed(rollbackFailed);
      }
      throw t;
    } finally {
      depth = level;
    }
  }
}
