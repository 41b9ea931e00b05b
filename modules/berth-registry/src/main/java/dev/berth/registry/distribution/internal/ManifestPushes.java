package dev.berth.registry.distribution.internal;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The manifest pushes running now and when each began. A push retains the blobs it references
 * before it writes its revision; a garbage collection that starts meanwhile would not see that
 * revision, so it spares every blob used since the oldest running push began. Thread-safe.
 */
public final class ManifestPushes {

  /** One running push; closing it says the push is over. */
  public interface Push extends AutoCloseable {
    @Override
    void close();
  }

  private final AtomicLong ids = new AtomicLong();
  private final ConcurrentHashMap<Long, Instant> running = new ConcurrentHashMap<>();

  /** Call before the push retains any blob; close when its revision is written (or it failed). */
  public Push begin() {
    long id = ids.incrementAndGet();
    // Registered before the first retain, so a collection that misses it began after that retain.
    running.put(id, Instant.now());
    return () -> running.remove(id);
  }

  /** When the oldest push still running began, if any runs. */
  public Optional<Instant> oldestStart() {
    return running.values().stream().min(Instant::compareTo);
  }
}
