package dev.berth.controlplane.providers.containerregistry;

import dev.berth.api.acr.AcrDocuments;
import dev.berth.api.secrets.SecretSealer;
import dev.berth.controlplane.ProviderAction;
import dev.berth.controlplane.ResourceType;
import dev.berth.controlplane.ResourceType.NameRule;
import dev.berth.controlplane.providers.containerregistry.internal.RegistryHooks;
import dev.berth.controlplane.providers.containerregistry.internal.RegistryNames;
import dev.berth.controlplane.providers.containerregistry.internal.ScopeMapHooks;
import dev.berth.controlplane.providers.containerregistry.internal.TokenHooks;
import dev.berth.store.ResourceStore;
import java.time.Clock;
import java.util.List;

/**
 * The {@code Microsoft.ContainerRegistry} resource provider: registries (long-running, tracked),
 * their scope maps and tokens, the registry actions ({@code listCredentials}, {@code
 * regenerateCredential}, {@code generateCredentials}, {@code listUsages}; {@code importImage},
 * long-running) and {@code checkNameAvailability}. It writes the ARM documents and the secrets
 * documents of {@link AcrDocuments}, which the registry's token service reads. Stateless; the types
 * it returns are thread-safe.
 */
public final class ContainerRegistryProvider {

  /** Every published registry api-version from 2017-10-01 on, stable and preview. */
  public static final List<String> API_VERSIONS =
      List.of(
          "2017-10-01",
          "2019-05-01",
          "2019-05-01-preview",
          "2019-12-01-preview",
          "2020-11-01-preview",
          "2021-06-01-preview",
          "2021-08-01-preview",
          "2021-09-01",
          "2021-12-01-preview",
          "2022-02-01-preview",
          "2022-12-01",
          "2023-01-01-preview",
          "2023-06-01-preview",
          "2023-07-01",
          "2023-08-01-preview",
          "2023-11-01-preview",
          "2024-11-01-preview",
          "2025-03-01-preview",
          "2025-04-01",
          "2025-05-01-preview",
          "2025-06-01-preview",
          "2025-11-01");

  /**
   * Scope maps and tokens appeared in 2019-05-01-preview; the 2017-10-01 and 2019-05-01 stable
   * files do not have them.
   */
  public static final List<String> TOKEN_API_VERSIONS =
      API_VERSIONS.stream()
          .filter(v -> !v.equals("2017-10-01") && !v.equals("2019-05-01"))
          .toList();

  /** ACR's rule for scope map and token names: 5–50 of letters, digits, '-' and '_'. */
  static final NameRule CHILD_NAMES =
      NameRule.of(
          "[a-zA-Z0-9_-]+",
          5,
          50,
          "Resource name '{name}' is invalid: it may contain letters, digits, '-' and '_' only"
              + " and must be between 5 and 50 characters.");

  private ContainerRegistryProvider() {}

  /**
   * The provider's resource types, to pass to {@link dev.berth.controlplane.ArmApi}.
   *
   * @param store the same store the ARM layer writes (secrets documents live beside the resources)
   * @param loginServers assigns each new registry its login server and takes it back on delete
   * @param content removes what a deleted registry stored in its data plane
   * @param sealer seals the admin user's passwords in the store, opens them for {@code
   *     listCredentials}
   */
  public static List<ResourceType> resourceTypes(
      ResourceStore store,
      LoginServers loginServers,
      RegistryContent content,
      Clock clock,
      SecretSealer sealer) {
    return resourceTypes(store, loginServers, content, ImageImports.NONE, clock, sealer);
  }

  /**
   * As {@link #resourceTypes(ResourceStore, LoginServers, RegistryContent, Clock, SecretSealer)},
   * with {@code imports} copying images in for the registries' {@code importImage} action.
   */
  public static List<ResourceType> resourceTypes(
      ResourceStore store,
      LoginServers loginServers,
      RegistryContent content,
      ImageImports imports,
      Clock clock,
      SecretSealer sealer) {
    RegistryNames names = new RegistryNames(store);
    ScopeMapHooks scopeMaps = new ScopeMapHooks(store, clock);
    ResourceType registries =
        ResourceType.builder(AcrDocuments.REGISTRY_TYPE)
            .apiVersions(API_VERSIONS.toArray(String[]::new))
            .nameRule(RegistryNames.RULE)
            .longRunning(true)
            .longRunningPatchAnswersCreated()
            .readOnlyProperties(
                "loginServer",
                "creationDate",
                "status",
                "dataEndpointHostNames",
                "privateEndpointConnections")
            .hooks(
                new RegistryHooks(store, loginServers, content, imports, clock, scopeMaps, sealer))
            .providerAction(
                new ProviderAction(
                    "checkNameAvailability",
                    "Microsoft.ContainerRegistry/checkNameAvailability/read",
                    names::checkNameAvailability))
            .build();
    ResourceType scopeMapType =
        ResourceType.builder(AcrDocuments.SCOPE_MAP_TYPE)
            .apiVersions(TOKEN_API_VERSIONS.toArray(String[]::new))
            .nameRule(CHILD_NAMES)
            .proxy()
            .readOnlyProperties("type", "creationDate")
            .hooks(scopeMaps)
            .build();
    ResourceType tokens =
        ResourceType.builder(AcrDocuments.TOKEN_TYPE)
            .apiVersions(TOKEN_API_VERSIONS.toArray(String[]::new))
            .nameRule(CHILD_NAMES)
            .proxy()
            .readOnlyProperties("creationDate", "credentials")
            .hooks(new TokenHooks(clock))
            .build();
    return List.of(registries, scopeMapType, tokens);
  }
}
