package dev.berth.controlplane.providers.app;

import dev.berth.controlplane.ResourceType;
import dev.berth.controlplane.ResourceType.NameRule;
import dev.berth.controlplane.providers.app.internal.EnvironmentHooks;
import dev.berth.store.ResourceStore;
import java.time.Clock;
import java.util.List;

/**
 * The {@code Microsoft.App} resource provider, ARM side: managed environments (tracked,
 * long-running). Container apps reuse {@link #API_VERSIONS}. Stateless; the types it returns are
 * thread-safe.
 *
 * @see <a href="https://learn.microsoft.com/rest/api/containerapps/managed-environments">Managed
 *     Environments REST API</a>
 */
public final class AppProvider {

  /** {@code Microsoft.App/managedEnvironments}. */
  public static final String ENVIRONMENT_TYPE = "Microsoft.App/managedEnvironments";

  /** {@code Microsoft.App/containerApps}: the documents that keep an environment from deletion. */
  public static final String CONTAINER_APP_TYPE = "Microsoft.App/containerApps";

  /**
   * Every published Microsoft.App api-version from 2022-03-01 on, stable and preview: az core
   * (2023-05-01, 2025-07-01), the az extension (2023-11-02-preview, 2024-02-02-preview), the Java
   * SDK (2025-02-02-preview, 2026-07-01) and the rest of the spec's history. The schemas are
   * additive, so one superset model serves them all.
   */
  public static final List<String> API_VERSIONS =
      List.of(
          "2022-03-01",
          "2022-06-01-preview",
          "2022-10-01",
          "2022-11-01-preview",
          "2023-04-01-preview",
          "2023-05-01",
          "2023-05-02-preview",
          "2023-08-01-preview",
          "2023-11-02-preview",
          "2024-02-02-preview",
          "2024-03-01",
          "2024-08-02-preview",
          "2024-10-02-preview",
          "2025-01-01",
          "2025-02-02-preview",
          "2025-07-01",
          "2025-10-02-preview",
          "2026-03-02-preview",
          "2026-07-01");

  /**
   * ACA's rule for environment names, which also become the first label of {@code defaultDomain}:
   * lower-case letters, digits and single hyphens, starting with a letter, ending with a letter or
   * digit, at most 60 characters.
   */
  public static final NameRule ENVIRONMENT_NAMES =
      NameRule.of(
          "(?!.*--)[a-z]([a-z0-9-]*[a-z0-9])?",
          1,
          60,
          "Invalid ManagedEnvironment name '{name}'. A name must consist of lower case"
              + " alphanumeric characters or '-', start with an alphabetic character, and end with"
              + " an alphanumeric character and cannot have '--'. The length must not be more than"
              + " 60 characters.");

  private AppProvider() {}

  /**
   * The managed environment type, to pass to {@link dev.berth.controlplane.ArmApi}.
   *
   * @param store the store the ARM layer writes (searched for container apps on delete)
   * @param addresses assigns each new environment its static (and outbound) address and takes it
   *     back on delete
   * @param clock kept for symmetry with other providers; environments carry no timestamps of their
   *     own beyond {@code systemData}, which the ARM layer writes
   */
  public static List<ResourceType> managedEnvironmentTypes(
      ResourceStore store, OutboundAddresses addresses, Clock clock) {
    ResourceType environments =
        ResourceType.builder(ENVIRONMENT_TYPE)
            .apiVersions(API_VERSIONS.toArray(String[]::new))
            .nameRule(ENVIRONMENT_NAMES)
            .longRunning(true)
            .readOnlyProperties(EnvironmentHooks.READ_ONLY.toArray(String[]::new))
            .hooks(new EnvironmentHooks(store, addresses))
            .build();
    return List.of(environments);
  }
}
