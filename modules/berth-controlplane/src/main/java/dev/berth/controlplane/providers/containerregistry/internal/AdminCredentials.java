package dev.berth.controlplane.providers.containerregistry.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ArmErrorCode;
import dev.berth.api.ArmException;
import dev.berth.api.ResourceId;
import dev.berth.api.acr.AcrDocuments;
import dev.berth.api.secrets.SecretRecipe;
import dev.berth.api.secrets.SecretSealer;
import dev.berth.api.secrets.SecretSlot;
import dev.berth.http.Json;
import dev.berth.store.Precondition;
import dev.berth.store.ResourceStore;
import java.util.List;

/**
 * The admin user of a registry: its credentials document at {@link AcrDocuments#adminCredentials},
 * {@code {"username":"<registry name>","passwords":[{"name":
 * "password","value":"sealed:v1:…"},{"name":"password2","value":"sealed:v1:…"}]}} (values sealed
 * for their {@link SecretSlot#adminPassword} place), and the {@code listCredentials} / {@code
 * regenerateCredential} replies over it, which carry the passwords in clear. Thread-safe.
 */
final class AdminCredentials {

  static final List<String> NAMES = List.of("password", "password2");

  private final ResourceStore store;
  private final SecretSealer sealer;

  AdminCredentials(ResourceStore store, SecretSealer sealer) {
    this.store = store;
    this.sealer = sealer;
  }

  /**
   * Writes fresh credentials for a new registry (passwords exist even while admin is off), in
   * {@code s}: the create's transaction.
   */
  void create(ResourceStore s, ResourceId registry) {
    ObjectNode doc = Json.object().put("username", registry.name());
    ArrayNode passwords = doc.putArray("passwords");
    NAMES.forEach(n -> passwords.addObject().put("name", n).put("value", sealed(registry, n)));
    s.put(AcrDocuments.adminCredentials(registry), doc, Precondition.NONE);
  }

  /** {@code listCredentials}: the document with its passwords opened, ARM's reply shape. */
  JsonNode list(ResourceId registry, ObjectNode stored) {
    requireEnabled(registry, stored);
    return opened(registry, current(store, registry));
  }

  /** {@code regenerateCredential} with {@code {"name":"password"|"password2"}}. */
  JsonNode regenerate(ResourceId registry, ObjectNode stored, ObjectNode body) {
    JsonNode name = body.get("name");
    if (name == null || !name.isTextual()) {
      throw Checks.invalid("name", "The property 'name' is required: password or password2.");
    }
    String which = Checks.canonical(name, "name", "password", "password2");
    requireEnabled(registry, stored);
    return store.inTransaction(
        s -> {
          ObjectNode doc = current(s, registry);
          for (JsonNode p : doc.withArray("passwords")) {
            if (p.path("name").asText().equals(which)) {
              ((ObjectNode) p).put("value", sealed(registry, which));
            }
          }
          s.put(AcrDocuments.adminCredentials(registry), doc, Precondition.NONE);
          return opened(registry, doc);
        });
  }

  /** A new random password, sealed for its place. */
  private String sealed(ResourceId registry, String name) {
    return sealer.seal(SecretRecipe.newSecret(), SecretSlot.adminPassword(registry, name));
  }

  /** A copy of the credentials document with each password in clear: a reply, never stored. */
  private ObjectNode opened(ResourceId registry, ObjectNode doc) {
    ObjectNode reply = doc.deepCopy();
    for (JsonNode p : reply.withArray("passwords")) {
      String name = p.path("name").asText();
      ((ObjectNode) p)
          .put(
              "value",
              sealer.open(p.path("value").asText(), SecretSlot.adminPassword(registry, name)));
    }
    return reply;
  }

  private ObjectNode current(ResourceStore s, ResourceId registry) {
    return s.get(AcrDocuments.adminCredentials(registry))
        .map(d -> d.body().deepCopy())
        .orElseGet(
            () -> {
              // Registries always get credentials at creation; this heals a store that lost them.
              create(s, registry);
              return s.get(AcrDocuments.adminCredentials(registry)).orElseThrow().body();
            });
  }

  /** ACR answers credential operations on a registry whose admin user is off with a 400. */
  private static void requireEnabled(ResourceId registry, ObjectNode stored) {
    if (!stored.path("properties").path("adminUserEnabled").asBoolean(false)) {
      String message =
          "Cannot perform credential operations for "
              + registry.value()
              + " as admin user is disabled. Kindly enable admin user as per docs:"
              + " https://docs.microsoft.com/en-us/azure/container-registry/container-registry-authentication#admin-account";
      throw ArmException.of(ArmErrorCode.UnAuthorizedForCredentialOperations, message)
          .withDetails(
              List.of(
                  new ArmException.Detail(
                      "UnAuthorizedForCredentialOperations", message, "adminUserEnabled")));
    }
  }
}
