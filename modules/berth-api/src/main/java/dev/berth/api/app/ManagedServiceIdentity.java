package dev.berth.api.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.ResourceId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A read-only view of a container app's {@code identity} block (ARM's {@code
 * ManagedServiceIdentity}): whether it has a system-assigned identity, that identity's principal
 * and hidden client id, and the user-assigned identities it names. The identities' own documents
 * are not read here: whoever holds the store resolves them (identity's {@code AppIdentities}).
 * Immutable.
 *
 * @param systemAssigned whether {@code type} includes {@code SystemAssigned} (compared as the
 *     control plane parses it: case and spaces aside)
 * @param principalId the system-assigned identity's principal (object) id
 * @param tenantId the tenant of the system-assigned identity
 * @param systemClientId the system-assigned identity's client id, which the control plane keeps in
 *     the hidden {@code berth.systemIdentityClientId}
 * @param userAssigned the keys of {@code userAssignedIdentities}, in document order
 */
public record ManagedServiceIdentity(
    boolean systemAssigned,
    Optional<String> principalId,
    Optional<String> tenantId,
    Optional<String> systemClientId,
    List<UserAssigned> userAssigned) {

  /** What {@code registries[].identity} and a secret's {@code identity} say for the system one. */
  public static final String SYSTEM = "system";

  /**
   * One {@code userAssignedIdentities} entry.
   *
   * @param key the key as written (the identity's resource id, in the caller's casing)
   * @param principalId the principal id the control plane copied from the identity's document
   * @param clientId the client id copied likewise
   */
  public record UserAssigned(String key, Optional<String> principalId, Optional<String> clientId) {

    /** The key as a resource id; empty when it is not one. */
    public Optional<ResourceId> id() {
      return ResourceId.tryParse(key);
    }
  }

  /**
   * Reads the {@code identity} block and the hidden client id of an app document ({@link
   * ContainerApp#identity()}; also a desired body the control plane is still completing).
   */
  public static ManagedServiceIdentity of(JsonNode app) {
    JsonNode identity = app.path("identity");
    String type = Nodes.text(identity, "type", "").replaceAll("\\s", "").toLowerCase(Locale.ROOT);
    List<UserAssigned> users = new ArrayList<>();
    identity
        .path("userAssignedIdentities")
        .properties()
        .forEach(
            e ->
                users.add(
                    new UserAssigned(
                        e.getKey(),
                        Nodes.text(e.getValue(), "principalId"),
                        Nodes.text(e.getValue(), "clientId"))));
    return new ManagedServiceIdentity(
        type.contains("systemassigned"),
        Nodes.text(identity, "principalId"),
        Nodes.text(identity, "tenantId"),
        Nodes.text(app.path("berth"), "systemIdentityClientId"),
        List.copyOf(users));
  }

  /**
   * The user-assigned identity {@code reference} names: a key equal to it (case-insensitive), or a
   * resource id equal to it.
   */
  public Optional<UserAssigned> userAssigned(String reference) {
    Optional<ResourceId> wanted = ResourceId.tryParse(reference);
    return userAssigned.stream()
        .filter(
            u ->
                u.key().equalsIgnoreCase(reference)
                    || (wanted.isPresent() && wanted.equals(u.id())))
        .findFirst();
  }
}
