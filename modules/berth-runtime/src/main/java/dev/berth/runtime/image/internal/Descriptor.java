package dev.berth.runtime.image.internal;

/** An OCI content descriptor: what a manifest says about a blob. Immutable. */
record Descriptor(String mediaType, String digest, long size) {}
