package dev.berth.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ResourceId;
import java.time.Instant;

/**
 * One stored document and its version. {@code etag} is opaque and changes on every write; {@code
 * generation} starts at 1 and grows by one on every write. The body is the caller's to read; copy
 * it before changing it.
 */
public record StoredResource(
    ResourceId id,
    ObjectNode body,
    String etag,
    long generation,
    Instant createdAt,
    Instant updatedAt) {

  /** The resource type, from the id ({@code Microsoft.App/containerApps}). */
  public String type() {
    return id.type();
  }
}
