package dev.berth.registry.blob;

/** What the store knows of one stored blob: its digest and length in bytes. Immutable. */
public record BlobInfo(Digest digest, long size) {}
