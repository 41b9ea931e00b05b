/**
 * Durable desired and observed state: {@code ResourceStore} keeps one JSON document per {@code
 * ResourceId} with an etag and a generation, and offers conditional writes ({@code Precondition},
 * {@code PreconditionFailedException}), paged lists ({@code Page} of a query), transactions and
 * change watches. {@code ResourceStores} opens a store by URL scheme; the drivers are {@code
 * sqlite} (the one {@code berth up} uses) and {@code memory} (for tests of the modules above);
 * other drivers, PostgreSQL first, are planned and must pass the same conformance suite. The
 * control plane writes desired state, the reconciler writes status, and identity, registry and
 * server read it (docs/store.md).
 */
package dev.berth.store;
