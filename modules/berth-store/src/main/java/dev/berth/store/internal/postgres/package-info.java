/**
 * Private to {@code dev.berth.store}, which opens it for {@code postgresql:} URLs: the PostgreSQL
 * driver of {@code ResourceStore} ({@code PostgresResourceStore}), the same {@code resources} table
 * as SQLite's with its keys collated "C", and the Flyway migrations in {@code
 * db/migration/postgresql}. docs/store.md describes the schema and the locking.
 */
package dev.berth.store.internal.postgres;
