package dev.berth.store.memory;

import dev.berth.store.ResourceStore;
import dev.berth.store.ResourceStoreConformance;
import java.nio.file.Path;
import java.time.Clock;

class InMemoryResourceStoreTest extends ResourceStoreConformance {

  @Override
  protected ResourceStore newStore(Path dir, Clock clock) {
    return new InMemoryResourceStore(clock);
  }
}
