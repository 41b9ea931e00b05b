/**
 * The OCI distribution API ({@code /v2/}) and ACR's metadata API ({@code /acr/v1/}) of Berth's
 * registries: {@code DistributionApi}, which {@code RegistryHttp} calls once a request's registry
 * is known; the repository metadata (links, manifests, tags, referrers) kept under the storage root
 * ({@code MetadataStore}, {@code RepositoryMetadata}); and the mark-and-sweep {@code
 * GarbageCollector}, which the server's housekeeping runs. The server also reads a repository's
 * tags from here for the pull diagnosis (docs/registry-distribution.md).
 */
package dev.berth.registry.distribution;
