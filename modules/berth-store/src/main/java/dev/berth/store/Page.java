package dev.berth.store;

import java.util.List;
import java.util.Optional;

/**
 * One page of a {@link Query}: the items and, when more follow, the continuation to ask for them.
 */
public record Page(List<StoredResource> items, Optional<String> continuation) {

  public Page {
    items = List.copyOf(items);
  }
}
