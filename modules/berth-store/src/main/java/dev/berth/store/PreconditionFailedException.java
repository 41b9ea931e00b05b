package dev.berth.store;

import dev.berth.api.ResourceId;
import java.util.Optional;

/** A write refused because its {@link Precondition} did not hold. */
public final class PreconditionFailedException extends RuntimeException {

  private final transient StoredResource current;

  public PreconditionFailedException(
      ResourceId id, Precondition precondition, StoredResource current) {
    super("precondition " + precondition + " does not hold for " + id, null, false, false);
    this.current = current;
  }

  /** The document as it is now, if it exists. */
  public Optional<StoredResource> current() {
    return Optional.ofNullable(current);
  }
}
