package dev.berth.api.acr;

import dev.berth.api.ResourceId;

/**
 * Where the registry's secrets live in the resource store, beside the ARM documents the control
 * plane writes. The control plane's Microsoft.ContainerRegistry provider writes them; the
 * registry's token service reads them. They sit under the registry's id, so deleting the registry
 * deletes them, and under a provider namespace ARM never routes, so no API returns them.
 *
 * <pre>
 * {registry id}                                                  the ARM document (GET shape)
 * {registry id}/providers/Berth.Secrets/credentials/admin        {"username": "myacr",
 *                                                                  "passwords": [{"name": "password",  "value": "…"},
 *                                                                                {"name": "password2", "value": "…"}]}
 * {registry id}/scopeMaps/{name}                                 ARM document; properties.actions[]
 * {registry id}/tokens/{name}                                    ARM document; properties.scopeMapId, status,
 *                                                                  credentials.passwords[] without values
 * {token id}/providers/Berth.Secrets/credentials/passwords       {"passwords": [{"name": "password1", "hash": "…",
 *                                                                  "salt": "…", "expiry": "2027-01-01T00:00:00Z"?}]}
 * </pre>
 *
 * Admin passwords are kept retrievable because {@code listCredentials} returns them; token
 * passwords are shown once and kept only as salted SHA-256 hashes.
 */
public final class AcrDocuments {

  public static final String REGISTRY_TYPE = "Microsoft.ContainerRegistry/registries";
  public static final String SCOPE_MAP_TYPE = "Microsoft.ContainerRegistry/registries/scopeMaps";
  public static final String TOKEN_TYPE = "Microsoft.ContainerRegistry/registries/tokens";

  private AcrDocuments() {}

  /** The admin user's credentials of a registry. */
  public static ResourceId adminCredentials(ResourceId registry) {
    return registry.provider("Berth.Secrets", "credentials", "admin");
  }

  /** The password hashes of a repository-scoped token. */
  public static ResourceId tokenPasswords(ResourceId token) {
    return token.provider("Berth.Secrets", "credentials", "passwords");
  }
}
