package dev.berth.registry.distribution.internal;

import dev.berth.registry.blob.Digest;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Small manifests by digest, so a pull's manifest GET reads no file. Content-addressed entries
 * never go stale; when the cache is full it starts over, which is crude but bounded. Thread-safe.
 */
public final class ManifestCache {

  /** A manifest's bytes and the media type it was pushed with. */
  public record Entry(String mediaType, byte[] bytes) {}

  static final int MAX_ENTRY = 256 * 1024;
  private final int maxEntries;
  private final ConcurrentHashMap<Digest, Entry> entries = new ConcurrentHashMap<>();

  public ManifestCache(int maxEntries) {
    this.maxEntries = maxEntries;
  }

  public Optional<Entry> get(Digest digest) {
    return Optional.ofNullable(entries.get(digest));
  }

  public void put(Digest digest, Entry entry) {
    if (entry.bytes().length > MAX_ENTRY) {
      return;
    }
    if (entries.size() >= maxEntries) {
      entries.clear();
    }
    entries.put(digest, entry);
  }
}
