package dev.berth.reconciler.diagnosis.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.acr.Registry;
import dev.berth.reconciler.diagnosis.FailedPull;
import java.util.Optional;

/**
 * Everything one diagnosis reads, gathered once: the failed pull, the app and the Berth registry
 * the image names. Immutable.
 */
public record PullContext(FailedPull pull, AppFacts app, Registry registry) {

  /** The image's registry, as the registries[] entry's {@code server} names it. */
  public String server() {
    return pull.image().registry();
  }

  public String repository() {
    return pull.image().repository();
  }

  public Optional<JsonNode> entry() {
    return pull.registryEntry();
  }

  /** The entry's {@code identity}: {@code system} or a user-assigned identity's id. */
  public Optional<String> entryIdentity() {
    return entry().flatMap(e -> AppFacts.text(e.path("identity")));
  }

  /** The entry's {@code username}, when it logs in with a password instead of an identity. */
  public Optional<String> entryUsername() {
    return entryIdentity().isPresent()
        ? Optional.empty()
        : entry().flatMap(e -> AppFacts.text(e.path("username")));
  }
}
