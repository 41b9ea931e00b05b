package dev.berth.server;

import dev.berth.api.Principal;
import dev.berth.api.ResourceId;
import dev.berth.api.acr.AccessDecision;
import dev.berth.api.secrets.SecretSealer;
import dev.berth.reconciler.diagnosis.PullDiagnosis;
import dev.berth.reconciler.diagnosis.PullPermissions;
import dev.berth.reconciler.diagnosis.RegistryCatalog;
import dev.berth.registry.RegistryDirectory;
import dev.berth.registry.auth.AcrAccess;
import dev.berth.registry.distribution.MetadataStore;
import dev.berth.registry.distribution.RepositoryMetadata;
import dev.berth.store.ResourceStore;
import java.io.IOException;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The pull diagnosis' two ports, filled with the registry's production code: who may pull is the
 * registry's own decision ({@link AcrAccess#pullDecision}, the code every token request runs), and
 * which tags exist its metadata store. The reconciler may not depend on the registry module; this
 * is where the two meet. Thread-safe.
 */
final class RegistryPorts implements PullPermissions, RegistryCatalog {

  private final RegistryDirectory registries;
  private final AcrAccess access;
  private final MetadataStore metadata;

  RegistryPorts(RegistryDirectory registries, AcrAccess access, MetadataStore metadata) {
    this.registries = registries;
    this.access = access;
    this.metadata = metadata;
  }

  /** The pull diagnosis over {@code store}, asking the registry through these ports. */
  static PullDiagnosis diagnosis(
      ResourceStore store,
      AcrAccess access,
      MetadataStore metadata,
      SecretSealer sealer,
      Clock clock) {
    RegistryPorts ports = new RegistryPorts(new RegistryDirectory(store), access, metadata);
    return new PullDiagnosis(store, ports, ports, sealer, clock);
  }

  @Override
  public AccessDecision pull(Principal principal, ResourceId registry, String repository) {
    return registries
        .byId(registry)
        .map(r -> access.pullDecision(principal, r, repository))
        .orElse(
            AccessDecision.refused(
                AccessDecision.Reason.NO_ROLE, registry.name(), "the registry does not exist"));
  }

  @Override
  public Optional<List<String>> tags(ResourceId registry, String repository) {
    return registries
        .byId(registry)
        .flatMap(
            r -> {
              try {
                RepositoryMetadata repo = metadata.repository(r.storageKey(), repository);
                if (!repo.exists()) {
                  return Optional.empty();
                }
                return Optional.of(newestFirst(repo.tags()));
              } catch (IOException e) {
                return Optional.empty();
              }
            });
  }

  /** Tag names, the last pushed or moved first; tags of the same instant by name. */
  static List<String> newestFirst(List<RepositoryMetadata.Tag> tags) {
    return tags.stream()
        .sorted(
            Comparator.comparing(RepositoryMetadata.Tag::updated)
                .reversed()
                .thenComparing(RepositoryMetadata.Tag::name))
        .map(RepositoryMetadata.Tag::name)
        .toList();
  }
}
