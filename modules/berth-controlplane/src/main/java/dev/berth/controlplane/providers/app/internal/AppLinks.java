package dev.berth.controlplane.providers.app.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.app.AppTypes;
import dev.berth.controlplane.LinkedResource;
import java.util.ArrayList;
import java.util.List;

/**
 * The other resources a container app names, and what each takes. Its environment is a link ARM
 * checks ({@code Microsoft.App/managedEnvironments/join/action}); its user-assigned identities the
 * ARM layer checks for every type. Identities named inside the app (a registry's or a Key Vault
 * secret's {@code identity}) must be the app's own, so they need no check of their own; service
 * binds, which name other apps, Berth cannot honour and refuses. Registry servers are host names
 * whose credentials the app carries itself (a password secret or one of its identities), never
 * resource ids. Stateless.
 */
final class AppLinks {

  private AppLinks() {}

  /** The environment the app names, under either field (lenient: anything else is skipped). */
  static List<LinkedResource> of(JsonNode doc) {
    JsonNode p = doc.path("properties");
    List<LinkedResource> links = new ArrayList<>();
    for (String field : List.of("environmentId", "managedEnvironmentId")) {
      links.addAll(
          LinkedResource.ofText(
              "properties." + field, p.path(field), AppTypes.JOIN_ENVIRONMENT_ACTION));
    }
    return links;
  }

  /**
   * Refuses what names a resource the app cannot use: a secret's identity that is not one of the
   * app's ({@code identity} already canonical), and service binds.
   */
  static void checkReferences(ObjectNode desired) {
    JsonNode secrets = desired.path("properties").path("configuration").path("secrets");
    for (int i = 0; i < secrets.size(); i++) {
      if (!(secrets.get(i) instanceof ObjectNode secret)) {
        continue; // AppSecrets refuses it with the schema error
      }
      String identity =
          Fields.text(secret, "identity", "properties.configuration.secrets[" + i + "].identity");
      String field = "configuration.secrets." + secret.path("name").asText(String.valueOf(i));
      if (identity.isEmpty()) {
        continue;
      }
      if (identity.equalsIgnoreCase("system")) {
        if (!AppIdentityBlock.hasSystem(desired)) {
          throw Fields.invalid(
              field + ".identity",
              "the identity 'system' needs a system-assigned identity on the app");
        }
      } else if (AppIdentityBlock.userAssigned(desired, identity).isEmpty()) {
        throw Fields.invalid(
            field + ".identity",
            "the identity '"
                + identity
                + "' is neither 'system' nor a user-assigned identity of the app; add it to"
                + " identity.userAssignedIdentities");
      }
    }
    JsonNode binds = desired.path("properties").path("template").path("serviceBinds");
    if (binds instanceof ArrayNode list && !list.isEmpty()) {
      throw Fields.invalid(
          "template.serviceBinds",
          "service binds are not supported by Berth; pass the other app's address in an"
              + " environment variable instead");
    }
  }
}
