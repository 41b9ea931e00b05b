/**
 * The in-memory driver of {@code ResourceStore}: {@code InMemoryResourceStore}, which the tests of
 * the modules above the store use instead of SQLite, and which {@code ResourceStores} opens for
 * {@code memory:}. Nothing survives the process. It passes the same conformance suite as the SQLite
 * driver (docs/store.md).
 */
package dev.berth.store.memory;
