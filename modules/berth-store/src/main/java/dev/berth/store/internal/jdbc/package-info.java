/**
 * Private to the store's SQL drivers: {@code JdbcResourceStore}, the {@code ResourceStore} over one
 * JDBC connection that the SQLite and PostgreSQL drivers share, their {@code Dialect}s'
 * differences, and the {@code resources} table's rows ({@code ResourceTable}).
 */
package dev.berth.store.internal.jdbc;
