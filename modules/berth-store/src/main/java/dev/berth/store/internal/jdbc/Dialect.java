package dev.berth.store.internal.jdbc;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a database does its own way, for {@link JdbcResourceStore}: the statements that open a
 * transaction taking the store's write lock, the upsert of one row, and which errors mean the
 * connection is lost (the next call opens a new one). Immutable.
 *
 * @param name the database's name, for messages ({@code SQLite}, {@code PostgreSQL})
 * @param begin run in order to open a transaction that holds the store's write lock to its end:
 *     writers of every process, one at a time, like SQLite's {@code BEGIN IMMEDIATE}
 * @param upsert inserts or replaces one row, with the nine columns' values as parameters in the
 *     order {@code id_key, id, type_key, parent_key, body, etag, generation, created_at,
 *     updated_at}
 * @param connectionLost SQLState classes (the first two characters) or whole SQLStates after which
 *     the connection is of no further use
 */
public record Dialect(String name, List<String> begin, String upsert, Set<String> connectionLost) {

  /** The columns {@link #upsert} takes, in order. */
  public static final String COLUMNS =
      "id_key, id, type_key, parent_key, body, etag, generation, created_at, updated_at";

  public Dialect {
    Objects.requireNonNull(name, "name");
    begin = List.copyOf(begin);
    Objects.requireNonNull(upsert, "upsert");
    connectionLost = Set.copyOf(connectionLost);
  }

  boolean lostConnection(String sqlState) {
    return sqlState != null
        && sqlState.length() >= 2
        && (connectionLost.contains(sqlState) || connectionLost.contains(sqlState.substring(0, 2)));
  }
}
