package dev.berth.store.internal;

import dev.berth.api.ResourceId;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The listeners of one store's {@code watch}; drivers call {@link #changed} after each write. */
public final class ChangeListeners {

  private static final Logger log = LoggerFactory.getLogger(ChangeListeners.class);

  private final CopyOnWriteArrayList<Consumer<ResourceId>> listeners = new CopyOnWriteArrayList<>();

  public AutoCloseable add(Consumer<ResourceId> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  public void changed(ResourceId id) {
    for (Consumer<ResourceId> listener : listeners) {
      try {
        listener.accept(id);
      } catch (RuntimeException e) {
        log.warn("store change listener failed for {}", id, e);
      }
    }
  }
}
