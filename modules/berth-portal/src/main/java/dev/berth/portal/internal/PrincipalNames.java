package dev.berth.portal.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.client.ArmCallException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Display names of principals, as far as the API tells them to the signed-in person: managed
 * identities of the subscriptions the person sees, the service principals (only for people who may
 * read them), and the person. Berth has no directory API for people, so other principals show as
 * their object id. Immutable once read.
 */
final class PrincipalNames {

  private final Map<String, String> names;

  private PrincipalNames(Map<String, String> names) {
    this.names = Map.copyOf(names);
  }

  static PrincipalNames read(PortalRequest request) {
    Map<String, String> names = new HashMap<>();
    try {
      for (JsonNode s : request.arm().list("/subscriptions?api-version=2022-12-01")) {
        for (JsonNode i :
            request
                .arm()
                .list(
                    "/subscriptions/"
                        + s.path("subscriptionId").asText()
                        + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities"
                        + "?api-version=2023-01-31")) {
          put(names, i.path("properties").path("principalId").asText(), i.path("name").asText());
        }
      }
    } catch (ArmCallException e) {
      // A person who may not list identities sees their ids instead.
    }
    try {
      for (JsonNode p :
          request
              .arm()
              .list("/providers/Berth.Identity/servicePrincipals?api-version=2025-01-01")) {
        JsonNode props = p.path("properties");
        put(names, props.path("principalId").asText(), props.path("displayName").asText());
      }
    } catch (ArmCallException e) {
      // Listing service principals needs roleAssignments/read at "/": most people lack it.
    }
    put(names, request.session().objectId(), request.session().user() + " (you)");
    return new PrincipalNames(names);
  }

  private static void put(Map<String, String> names, String id, String name) {
    if (id != null && !id.isEmpty() && name != null && !name.isEmpty()) {
      names.put(id.toLowerCase(Locale.ROOT), name);
    }
  }

  /** The principal's name, or its id when the API told none. */
  String of(String principalId) {
    return names.getOrDefault(principalId.toLowerCase(Locale.ROOT), principalId);
  }
}
