package dev.berth.store;

import dev.berth.api.ResourceId;
import java.util.Optional;

/**
 * Selects documents of one type under a scope. {@code CHILDREN} selects those whose {@link
 * ResourceId#parent()} is the scope (the apps of a group, the role assignments at a scope); {@code
 * DESCENDANTS} those anywhere beneath it (every app of a subscription). Pages are ordered by key;
 * {@code after} is the continuation a previous {@link Page} returned.
 */
public record Query(String type, ResourceId scope, Depth depth, Optional<String> after, int limit) {

  /** How far beneath the scope to look. */
  public enum Depth {
    CHILDREN,
    DESCENDANTS
  }

  public static final int DEFAULT_LIMIT = 100;

  public Query {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive: " + limit);
    }
  }

  /** Documents of {@code type} whose parent is {@code scope}. */
  public static Query children(ResourceId scope, String type) {
    return new Query(type, scope, Depth.CHILDREN, Optional.empty(), DEFAULT_LIMIT);
  }

  /** Documents of {@code type} anywhere beneath {@code scope}. */
  public static Query descendants(ResourceId scope, String type) {
    return new Query(type, scope, Depth.DESCENDANTS, Optional.empty(), DEFAULT_LIMIT);
  }

  public Query after(String continuation) {
    return new Query(type, scope, depth, Optional.ofNullable(continuation), limit);
  }

  public Query limit(int newLimit) {
    return new Query(type, scope, depth, after, newLimit);
  }
}
