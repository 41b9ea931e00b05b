package dev.berth.controlplane.providers.managedidentity;

import dev.berth.controlplane.ResourceType;
import dev.berth.controlplane.ResourceType.NameRule;
import dev.berth.controlplane.providers.managedidentity.internal.IdentityHooks;
import dev.berth.store.ResourceStore;
import java.time.Clock;
import java.util.List;

/**
 * The {@code Microsoft.ManagedIdentity} resource provider: user-assigned identities, tracked and
 * synchronous (PUT answers 200/201, DELETE 200/204), each given a tenant, a principal id and a
 * client id once at creation. Stateless; the types it returns are thread-safe.
 *
 * @see <a href="https://learn.microsoft.com/rest/api/managedidentity/user-assigned-identities">User
 *     Assigned Identities REST API</a>
 */
public final class ManagedIdentityProvider {

  /** {@code Microsoft.ManagedIdentity/userAssignedIdentities}. */
  public static final String TYPE = "Microsoft.ManagedIdentity/userAssignedIdentities";

  /**
   * The api-versions clients send: az (2022-01-31-preview and 2023-01-31 by profile), the Java SDK
   * {@code azure-resourcemanager-msi} 2.24–2.52 (2023-01-31) and 2.53+ (2024-11-30), older SDKs.
   */
  public static final List<String> API_VERSIONS =
      List.of(
          "2015-08-31-preview",
          "2018-11-30",
          "2021-09-30-preview",
          "2022-01-31-preview",
          "2023-01-31",
          "2023-07-31-preview",
          "2024-11-30",
          "2025-01-31-preview");

  /** ARM's rule for identity names: 3–128 characters, starting with a letter or digit. */
  public static final NameRule NAMES =
      NameRule.of(
          "[a-zA-Z0-9][a-zA-Z0-9_-]*",
          3,
          128,
          "Resource name '{name}' is invalid. The name can contain only letters, numbers,"
              + " underscores and hyphens, must start with a letter or number, and must be between"
              + " 3 and 128 characters long.");

  private ManagedIdentityProvider() {}

  /**
   * The provider's resource types, to pass to {@link dev.berth.controlplane.ArmApi}.
   *
   * @param store the store the ARM layer writes (an identity's role assignments are deleted with
   *     it)
   * @param tenantId the tenant every identity belongs to
   */
  public static List<ResourceType> resourceTypes(
      ResourceStore store, String tenantId, Clock clock) {
    ResourceType identities =
        ResourceType.builder(TYPE)
            .apiVersions(API_VERSIONS.toArray(String[]::new))
            .nameRule(NAMES)
            .readOnlyProperties("tenantId", "principalId", "clientId", "isolationScope")
            .hooks(new IdentityHooks(store, tenantId))
            .build();
    return List.of(identities);
  }
}
