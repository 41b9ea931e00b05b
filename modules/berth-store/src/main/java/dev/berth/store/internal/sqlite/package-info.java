/**
 * Private to {@code dev.berth.store}, which opens it for {@code sqlite:} URLs: the SQLite driver of
 * {@code ResourceStore} ({@code SqliteResourceStore}), one database file in WAL mode, every commit
 * fsynced, one connection behind one lock (the shared {@code internal.jdbc} store), and the Flyway
 * migrations that bring a file to the newest schema ({@code SqliteSchema}, {@code
 * db/migration/sqlite}). docs/store.md describes the schema and how to add a driver.
 */
package dev.berth.store.internal.sqlite;
