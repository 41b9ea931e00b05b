package dev.berth.identity;

import dev.berth.api.RoleDefinition;
import dev.berth.api.RoleDefinition.Permission;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Azure's built-in roles that Berth honours, with Azure's GUIDs, descriptions and permissions, so
 * scripts naming a role by id or by name work unchanged. Immutable and thread-safe.
 *
 * <p>Source of every GUID and permission list: MicrosoftDocs/azure-docs {@code
 * articles/role-based-access-control/built-in-roles/privileged.md} (Owner, Contributor, User Access
 * Administrator), {@code general.md} (Reader), {@code monitor.md} (Monitoring Reader), {@code
 * identity.md} (Managed Identity Operator) and {@code containers.md} (the Acr and Container
 * Registry Repository roles).
 */
public final class BuiltInRoles implements RoleCatalog {

  public static final String OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
  public static final String CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c";
  public static final String READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
  public static final String MONITORING_READER = "43d0d8ad-25c7-4714-9337-8ba259a9fe05";
  public static final String USER_ACCESS_ADMINISTRATOR = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9";
  public static final String MANAGED_IDENTITY_OPERATOR = "f1a07417-d97a-45cb-824c-7a7467783830";
  public static final String ACR_PULL = "7f951dda-4ed3-4680-a7ca-43fe172d538d";
  public static final String ACR_PUSH = "8311e382-0749-4cb8-b61a-304f252e45ec";
  public static final String ACR_DELETE = "c2f4ef07-c644-48eb-af81-4b1b4947fb11";
  public static final String REPOSITORY_READER = "b93aa761-3e63-49ed-ac28-beffa264f7ac";
  public static final String REPOSITORY_WRITER = "2a1e307c-b015-4ebd-883e-5b7698a07328";
  public static final String REPOSITORY_CONTRIBUTOR = "2efddaa5-3f1f-4df3-97df-af3f13818f4c";
  public static final String REPOSITORY_CATALOG_LISTER = "bfdb9389-c9a5-478a-bb2f-ba9ca092c3c7";

  private static final String ACR = "Microsoft.ContainerRegistry/registries/";
  private static final String REPO = ACR + "repositories/";

  private static final List<RoleDefinition> ROLES =
      List.of(
          role(
              OWNER,
              "Owner",
              "Grants full access to manage all resources, including the ability to assign roles"
                  + " in Azure RBAC.",
              List.of("*"),
              List.of(),
              List.of()),
          role(
              CONTRIBUTOR,
              "Contributor",
              "Grants full access to manage all resources, but does not allow you to assign roles"
                  + " in Azure RBAC, manage assignments in Azure Blueprints, or share image"
                  + " galleries.",
              List.of("*"),
              List.of(
                  "Microsoft.Authorization/*/Delete",
                  "Microsoft.Authorization/*/Write",
                  "Microsoft.Authorization/elevateAccess/Action",
                  "Microsoft.Blueprint/blueprintAssignments/write",
                  "Microsoft.Blueprint/blueprintAssignments/delete",
                  "Microsoft.Compute/galleries/share/action",
                  "Microsoft.Purview/consents/write",
                  "Microsoft.Purview/consents/delete",
                  "Microsoft.Resources/deploymentStacks/manageDenySetting/action",
                  "Microsoft.Subscription/cancel/action",
                  "Microsoft.Subscription/enable/action"),
              List.of()),
          role(
              READER,
              "Reader",
              "View all resources, but does not allow you to make any changes.",
              List.of("*/read"),
              List.of(),
              List.of()),
          // What Berth's /metrics asks of a scraper that should read nothing else of note.
          role(
              MONITORING_READER,
              "Monitoring Reader",
              "Can read all monitoring data (metrics, logs, etc.). See also Get started with roles,"
                  + " permissions, and security with Azure Monitor.",
              List.of(
                  "*/read",
                  "Microsoft.OperationalInsights/workspaces/search/action",
                  "Microsoft.Support/*"),
              List.of(),
              List.of()),
          role(
              USER_ACCESS_ADMINISTRATOR,
              "User Access Administrator",
              "Lets you manage user access to Azure resources.",
              List.of("*/read", "Microsoft.Authorization/*", "Microsoft.Support/*"),
              List.of(),
              List.of()),
          // What a principal needs, besides write on the resource, to link a user-assigned
          // identity to it (ARM's linked check of .../userAssignedIdentities/assign/action).
          role(
              MANAGED_IDENTITY_OPERATOR,
              "Managed Identity Operator",
              "Read and Assign User Assigned Identity",
              List.of(
                  "Microsoft.ManagedIdentity/userAssignedIdentities/*/read",
                  "Microsoft.ManagedIdentity/userAssignedIdentities/*/assign/action",
                  "Microsoft.Authorization/*/read",
                  "Microsoft.Insights/alertRules/*",
                  "Microsoft.Resources/subscriptions/resourceGroups/read",
                  "Microsoft.Resources/deployments/*",
                  "Microsoft.Support/*"),
              List.of(),
              List.of()),
          role(ACR_PULL, "AcrPull", "acr pull", List.of(ACR + "pull/read"), List.of(), List.of()),
          role(
              ACR_PUSH,
              "AcrPush",
              "acr push",
              List.of(ACR + "pull/read", ACR + "push/write"),
              List.of(),
              List.of()),
          role(
              ACR_DELETE,
              "AcrDelete",
              "acr delete",
              List.of(ACR + "artifacts/delete"),
              List.of(),
              List.of()),
          role(
              REPOSITORY_CATALOG_LISTER,
              "Container Registry Repository Catalog Lister",
              "Allows for listing all repositories in an Azure Container Registry. This role is in"
                  + " preview and subject to change.",
              List.of(),
              List.of(),
              List.of(ACR + "catalog/read")),
          role(
              REPOSITORY_CONTRIBUTOR,
              "Container Registry Repository Contributor",
              "Allows for read, write, and delete access to Azure Container Registry repositories,"
                  + " but excluding catalog listing. This role is in preview and subject to"
                  + " change.",
              List.of(),
              List.of(),
              List.of(
                  REPO + "metadata/read",
                  REPO + "content/read",
                  REPO + "metadata/write",
                  REPO + "content/write",
                  REPO + "metadata/delete",
                  REPO + "content/delete")),
          role(
              REPOSITORY_READER,
              "Container Registry Repository Reader",
              "Allows for read access to Azure Container Registry repositories, but excluding"
                  + " catalog listing. This role is in preview and subject to change.",
              List.of(),
              List.of(),
              List.of(REPO + "metadata/read", REPO + "content/read")),
          role(
              REPOSITORY_WRITER,
              "Container Registry Repository Writer",
              "Allows for read and write access to Azure Container Registry repositories, but"
                  + " excluding catalog listing. This role is in preview and subject to change.",
              List.of(),
              List.of(),
              List.of(
                  REPO + "metadata/read",
                  REPO + "content/read",
                  REPO + "metadata/write",
                  REPO + "content/write")));

  private static final BuiltInRoles INSTANCE = new BuiltInRoles();

  private BuiltInRoles() {}

  /** The catalog of built-in roles. */
  public static BuiltInRoles catalog() {
    return INSTANCE;
  }

  private static RoleDefinition role(
      String id,
      String name,
      String description,
      List<String> actions,
      List<String> notActions,
      List<String> dataActions) {
    return new RoleDefinition(
        id,
        name,
        description,
        "BuiltInRole",
        List.of(new Permission(actions, notActions, dataActions, List.of())),
        List.of("/"));
  }

  @Override
  public List<RoleDefinition> all() {
    return ROLES;
  }

  @Override
  public Optional<RoleDefinition> byId(String guid) {
    if (guid == null) {
      return Optional.empty();
    }
    String wanted = guid.strip().toLowerCase(Locale.ROOT);
    return ROLES.stream().filter(r -> r.id().equals(wanted)).findFirst();
  }

  @Override
  public Optional<RoleDefinition> byName(String roleName) {
    if (roleName == null) {
      return Optional.empty();
    }
    String wanted = roleName.strip();
    return ROLES.stream().filter(r -> r.roleName().equalsIgnoreCase(wanted)).findFirst();
  }
}
