package dev.berth.registry.distribution.internal;

import dev.berth.registry.RegistryException;
import java.util.List;

/**
 * Several errors answered together in one envelope, such as one {@code MANIFEST_BLOB_UNKNOWN} per
 * missing blob; the first decides the status. Immutable.
 */
public final class RegistryErrors extends RuntimeException {

  private final transient List<RegistryException> errors;

  public RegistryErrors(List<RegistryException> errors) {
    super(errors.get(0).getMessage(), null, false, false);
    this.errors = List.copyOf(errors);
  }

  public List<RegistryException> errors() {
    return errors;
  }
}
