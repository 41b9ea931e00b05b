/**
 * Content-addressed blob storage for every registry: {@code BlobStore} (resumable uploads; a blob
 * appears under its {@code Digest} only once written, synced and verified), opened by location
 * through {@code BlobStores}, whose one driver today is the filesystem ({@code file:}); {@code
 * BlobPaths} draws the on-disk layout of the registry's storage root once. The distribution
 * endpoints and garbage collection use it; the server opens it (docs/registry-distribution.md).
 */
package dev.berth.registry.blob;
