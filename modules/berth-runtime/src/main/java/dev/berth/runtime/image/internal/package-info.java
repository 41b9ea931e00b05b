/**
 * Private to {@code dev.berth.runtime.image}: the puller over the distribution API ({@code
 * RegistryImagePuller}), answering a registry's challenge, fetching the manifest (following an
 * index to linux/amd64) and blobs with their digests verified, one HTTP client per source address,
 * the layer cache and its on-disk layout ({@code CachePaths}), unpacking layers into overlayfs form
 * with OCI whiteouts, and containerd-worded error messages (docs/runtime-images.md).
 */
package dev.berth.runtime.image.internal;
