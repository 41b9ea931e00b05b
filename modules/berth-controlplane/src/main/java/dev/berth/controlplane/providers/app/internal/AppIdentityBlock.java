package dev.berth.controlplane.providers.app.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ArmErrorCode;
import dev.berth.api.ArmException;
import dev.berth.api.ResourceId;
import dev.berth.api.app.ManagedServiceIdentity;
import dev.berth.identity.AppIdentities;
import dev.berth.identity.PrincipalAssignments;
import dev.berth.store.ResourceStore;
import dev.berth.store.StoredResource;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The {@code identity} block of a container app: the type read case- and space-insensitively and
 * written canonically, the system-assigned principal made once (new principal and hidden client
 * ids), kept while {@code SystemAssigned} stays and ended (its role assignments deleted) when it
 * goes, and each user-assigned identity resolved against its own document. Thread-safe (stateless
 * apart from the store).
 *
 * @see <a href="https://learn.microsoft.com/azure/container-apps/managed-identity">Managed
 *     identities in Azure Container Apps</a>
 */
final class AppIdentityBlock {

  private final ResourceStore store;
  private final String tenantId;

  AppIdentityBlock(ResourceStore store, String tenantId) {
    this.store = store;
    this.tenantId = tenantId;
  }

  /**
   * Rewrites {@code desired.identity} and the hidden client id; the stored ids come from {@code
   * current}, the user-assigned identities from {@code tx} (the app write's transaction).
   */
  void apply(ResourceStore tx, ObjectNode desired, Optional<ObjectNode> current) {
    ObjectNode hidden = Fields.object(desired, "berth", "berth");
    JsonNode given = desired.get("identity");
    if (given == null || given.isNull()) {
      desired.remove("identity");
      hidden.remove("systemIdentityClientId");
      endRemovedSystemIdentity(tx, desired, current);
      return;
    }
    ObjectNode identity = Fields.element(given, "identity");
    Set<String> kinds = parseType(Fields.text(identity, "type", "identity.type"));
    boolean system = kinds.contains("SystemAssigned");
    boolean user = kinds.contains("UserAssigned");
    ObjectNode out = desired.putObject("identity");
    out.put("type", kinds.isEmpty() ? "None" : String.join(",", kinds));
    if (system) {
      JsonNode old = current.map(c -> c.path("identity")).orElse(null);
      String oldClient =
          current.map(c -> c.path("berth").path("systemIdentityClientId").asText("")).orElse("");
      if (old != null && old.path("principalId").isTextual() && !oldClient.isEmpty()) {
        out.put("principalId", old.path("principalId").asText());
        out.put("tenantId", old.path("tenantId").asText(tenantId));
        hidden.put("systemIdentityClientId", oldClient);
      } else {
        // A new system identity is a new principal; an earlier one's role assignments went when
        // it was removed.
        out.put("principalId", UUID.randomUUID().toString());
        out.put("tenantId", tenantId);
        hidden.put("systemIdentityClientId", UUID.randomUUID().toString());
      }
    } else {
      hidden.remove("systemIdentityClientId");
    }
    endRemovedSystemIdentity(tx, desired, current);
    JsonNode uamis = identity.get("userAssignedIdentities");
    boolean anyUser = uamis != null && !uamis.isNull() && uamis.size() > 0;
    if (uamis != null && !uamis.isNull() && !uamis.isObject()) {
      throw Fields.schema("identity.userAssignedIdentities");
    }
    if (user != anyUser) {
      throw ArmException.of(
              ArmErrorCode.InvalidParameter,
              user
                  ? "The identity type 'UserAssigned' needs at least one entry in"
                      + " identity.userAssignedIdentities."
                  : "identity.userAssignedIdentities is only allowed when identity.type includes"
                      + " 'UserAssigned'.")
          .withTarget("identity.userAssignedIdentities");
    }
    if (user) {
      ObjectNode resolved = out.putObject("userAssignedIdentities");
      for (Iterator<Map.Entry<String, JsonNode>> it = uamis.fields(); it.hasNext(); ) {
        String key = it.next().getKey();
        StoredResource uami = find(tx, key);
        JsonNode p = uami.body().path("properties");
        resolved
            .putObject(key)
            .put("principalId", p.path("principalId").asText())
            .put("clientId", p.path("clientId").asText());
      }
    }
  }

  /**
   * When this write removes the app's system-assigned identity, its principal ends: its role
   * assignments are deleted, in the write's transaction (so a refused write keeps them).
   */
  private static void endRemovedSystemIdentity(
      ResourceStore tx, ObjectNode desired, Optional<ObjectNode> current) {
    Optional<String> before =
        current
            .map(ManagedServiceIdentity::of)
            .filter(ManagedServiceIdentity::systemAssigned)
            .flatMap(ManagedServiceIdentity::principalId);
    String after = ManagedServiceIdentity.of(desired).principalId().orElse("");
    if (before.isPresent() && !before.get().equalsIgnoreCase(after)) {
      PrincipalAssignments.deleteAll(tx, before.get());
    }
  }

  /** Deletes the role assignments of the app's system-assigned identity, if it has one. */
  void endSystemIdentity(ObjectNode stored) {
    ManagedServiceIdentity identity = ManagedServiceIdentity.of(stored);
    if (identity.systemAssigned()) {
      PrincipalAssignments.deleteAll(store, identity.principalId().orElse(""));
    }
  }

  private static StoredResource find(ResourceStore tx, String key) {
    return ResourceId.tryParse(key)
        .flatMap(tx::get)
        .filter(
            d -> d.body().path("type").asText().equalsIgnoreCase(AppIdentities.USER_ASSIGNED_TYPE))
        .orElseThrow(
            () ->
                ArmException.of(
                        ArmErrorCode.FailedIdentityOperation,
                        "The user-assigned identity '"
                            + key
                            + "' was not found. Create it first (az identity create) and use its"
                            + " full resource id.")
                    .withTarget("identity.userAssignedIdentities"));
  }

  /** {@code "systemAssigned, UserAssigned"} → [SystemAssigned, UserAssigned]; "None" → []. */
  static Set<String> parseType(String type) {
    Set<String> kinds = new LinkedHashSet<>();
    String compact = type.replaceAll("\\s", "").toLowerCase(Locale.ROOT);
    for (String part : compact.split(",")) {
      switch (part) {
        case "systemassigned" -> kinds.add("SystemAssigned");
        case "userassigned" -> kinds.add("UserAssigned");
        case "none", "" -> {}
        default ->
            throw ArmException.of(
                    ArmErrorCode.InvalidParameter,
                    "The identity type '"
                        + type
                        + "' is invalid. Use 'None', 'SystemAssigned', 'UserAssigned' or"
                        + " 'SystemAssigned,UserAssigned'.")
                .withTarget("identity.type");
      }
    }
    // Canonical order regardless of how the caller listed them.
    Set<String> ordered = new LinkedHashSet<>();
    for (String k : new String[] {"SystemAssigned", "UserAssigned"}) {
      if (kinds.contains(k)) {
        ordered.add(k);
      }
    }
    return ordered;
  }

  /** Whether the (already canonical) identity has SystemAssigned. */
  static boolean hasSystem(ObjectNode desired) {
    return ManagedServiceIdentity.of(desired).systemAssigned();
  }

  /** The user-assigned identity key that equals {@code id} case-insensitively, if any. */
  static Optional<String> userAssigned(ObjectNode desired, String id) {
    return ManagedServiceIdentity.of(desired).userAssigned().stream()
        .map(ManagedServiceIdentity.UserAssigned::key)
        .filter(id::equalsIgnoreCase)
        .findFirst();
  }
}
