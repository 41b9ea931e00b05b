package dev.berth.controlplane.providers.operationalinsights;

import dev.berth.api.secrets.SecretSealer;
import dev.berth.controlplane.ResourceType;
import dev.berth.controlplane.ResourceType.NameRule;
import dev.berth.controlplane.providers.operationalinsights.internal.WorkspaceHooks;
import java.time.Clock;
import java.util.List;

/**
 * The {@code Microsoft.OperationalInsights} resource provider, reduced to what an environment
 * needs: {@code workspaces} (tracked, synchronous) with {@code POST …/sharedKeys}. Stateless; the
 * types it returns are thread-safe.
 *
 * @see <a href="https://learn.microsoft.com/rest/api/loganalytics/workspaces">Workspaces REST
 *     API</a>
 */
public final class OperationalInsightsProvider {

  /** {@code Microsoft.OperationalInsights/workspaces}. */
  public static final String WORKSPACE_TYPE = "Microsoft.OperationalInsights/workspaces";

  /**
   * The workspace api-versions of the REST spec's stable and preview history: az 2.45's SDK
   * (azure-mgmt-loganalytics 13.0.0b6) sends 2022-10-01 for workspaces and 2020-08-01 for {@code
   * sharedKeys}.
   */
  public static final List<String> API_VERSIONS =
      List.of(
          "2015-11-01-preview",
          "2020-03-01-preview",
          "2020-08-01",
          "2020-10-01",
          "2021-06-01",
          "2021-12-01-preview",
          "2022-10-01",
          "2023-09-01",
          "2025-02-01",
          "2025-07-01");

  /**
   * Log Analytics' rule for workspace names: 4–63 letters, digits and hyphens, starting and ending
   * with a letter or digit.
   */
  public static final NameRule WORKSPACE_NAMES =
      NameRule.of(
          "[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9]",
          4,
          63,
          "The workspace name '{name}' is invalid. It must be 4 to 63 characters long, contain only"
              + " letters, digits and '-', and start and end with a letter or digit.");

  private OperationalInsightsProvider() {}

  /**
   * The workspace type, to pass to {@link dev.berth.controlplane.ArmApi}.
   *
   * @param sealer seals the workspaces' shared keys in the store and opens them for {@code
   *     sharedKeys}
   */
  public static List<ResourceType> resourceTypes(SecretSealer sealer, Clock clock) {
    return List.of(
        ResourceType.builder(WORKSPACE_TYPE)
            .apiVersions(API_VERSIONS.toArray(String[]::new))
            .nameRule(WORKSPACE_NAMES)
            .readOnlyProperties(WorkspaceHooks.READ_ONLY.toArray(String[]::new))
            .hooks(new WorkspaceHooks(sealer, clock))
            .build());
  }
}
