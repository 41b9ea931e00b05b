package dev.berth.api.acr;

import dev.berth.api.ResourceId;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Where the registry's secrets live in the resource store, beside the ARM documents the control
 * plane writes. The control plane's Microsoft.ContainerRegistry provider writes them; the
 * registry's token service reads them. They sit under the registry's id, so deleting the registry
 * deletes them, and under a provider namespace ARM never routes, so no API returns them.
 *
 * <pre>
 * {registry id}                                                  the ARM document (GET shape), and hidden from
 *                                                                  clients "berth": {"storageKey": "myacr-3f2a…"}
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
 *
 * <p>A registry's <em>storage key</em> names where the data plane keeps its repositories. A name is
 * unique only while its registry lives, so the key is made once per registry instance, at creation,
 * and never reused: a registry created later under a deleted one's name never sees the deleted
 * one's images. Registries created before keys existed have none and use their lower-case name; new
 * keys always hold a {@code -}, which registry names cannot, so the two never meet.
 */
public final class AcrDocuments {

  public static final String REGISTRY_TYPE = "Microsoft.ContainerRegistry/registries";
  public static final String SCOPE_MAP_TYPE = "Microsoft.ContainerRegistry/registries/scopeMaps";
  public static final String TOKEN_TYPE = "Microsoft.ContainerRegistry/registries/tokens";

  /** The top-level field of a registry document that holds Berth's state, never shown by ARM. */
  public static final String HIDDEN = "berth";

  /** The field of {@link #HIDDEN} that holds the registry's storage key. */
  public static final String STORAGE_KEY = "storageKey";

  private static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9-]{0,99}");

  private AcrDocuments() {}

  /**
   * A storage key for a registry being created: its lower-case name and a random UUID (122 bits).
   */
  public static String newStorageKey(String registryName) {
    return registryName.toLowerCase(Locale.ROOT)
        + "-"
        + UUID.randomUUID().toString().replace("-", "");
  }

  /**
   * The storage key of a registry: the one its document holds, else (a registry created before keys
   * existed) its lower-case name.
   *
   * @param stored the document's {@code berth.storageKey}, or null or blank when it has none
   * @throws IllegalStateException when the stored key could not be one Berth made: it becomes a
   *     directory name, so it must never hold a {@code /} or {@code ..}
   */
  public static String storageKey(String stored, String registryName) {
    String key =
        stored == null || stored.isBlank() ? registryName.toLowerCase(Locale.ROOT) : stored;
    if (!KEY.matcher(key).matches()) {
      throw new IllegalStateException("registry " + registryName + " has a bad storage key");
    }
    return key;
  }

  /** The admin user's credentials of a registry. */
  public static ResourceId adminCredentials(ResourceId registry) {
    return registry.provider("Berth.Secrets", "credentials", "admin");
  }

  /** The password hashes of a repository-scoped token. */
  public static ResourceId tokenPasswords(ResourceId token) {
    return token.provider("Berth.Secrets", "credentials", "passwords");
  }
}
