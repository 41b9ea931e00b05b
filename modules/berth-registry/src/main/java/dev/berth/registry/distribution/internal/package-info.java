/**
 * Private to {@code dev.berth.registry.distribution}: the one route table of the registry API
 * ({@code RegistryRoutes}, each {@code RegistryRoute} declaring its {@code RouteAccess}), the path
 * rewriting that makes a repository name one segment, one handler class per route family (blobs,
 * uploads, manifests, listings, ACR metadata), name and paging rules, the manifest cache and the
 * record of running manifest pushes that garbage collection spares (docs/registry-distribution.md).
 */
package dev.berth.registry.distribution.internal;
