/**
 * Private to {@code dev.berth.registry.blob}: the filesystem driver of {@code BlobStore} ({@code
 * FileSystemBlobStore}, laid out by {@code BlobPaths}), its blob reader, and the write-behind that
 * starts flushing a blob's bytes while they still arrive (docs/registry-distribution.md).
 */
package dev.berth.registry.blob.internal;
