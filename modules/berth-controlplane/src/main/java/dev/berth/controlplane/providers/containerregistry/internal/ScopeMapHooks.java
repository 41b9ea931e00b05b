package dev.berth.controlplane.providers.containerregistry.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ArmErrorCode;
import dev.berth.api.ArmException;
import dev.berth.api.ResourceId;
import dev.berth.api.acr.AcrDocuments;
import dev.berth.controlplane.ResourceHooks;
import dev.berth.http.Json;
import dev.berth.store.Precondition;
import dev.berth.store.ResourceStore;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Scope maps ({@code registries/scopeMaps}): user-defined ones with validated {@code actions}, and
 * the three system-defined ones every registry gets at creation, which clients may read but not
 * change or delete. Thread-safe.
 *
 * @see <a
 *     href="https://learn.microsoft.com/azure/container-registry/container-registry-repository-scoped-permissions">ACR
 *     repository-scoped permissions</a>
 */
public final class ScopeMapHooks implements ResourceHooks {

  /** The system-defined scope maps: name → description and actions. */
  record SystemMap(String description, List<String> actions) {}

  static final Map<String, SystemMap> SYSTEM = systemMaps();

  // A repository as OCI names it, or "*", or such a name followed by "/*".
  private static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
  private static final String REPOSITORY =
      "(?:\\*|" + COMPONENT + "(?:/" + COMPONENT + ")*(?:/\\*)?)";
  private static final Pattern ACTION =
      Pattern.compile(
          "repositories/"
              + REPOSITORY
              + "/(?:content/(?:read|write|delete)|metadata/(?:read|write))"
              + "|gateway/[a-zA-Z0-9-]+/(?:config|message)/(?:read|write)");

  private final ResourceStore store;
  private final Clock clock;

  public ScopeMapHooks(ResourceStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  private static Map<String, SystemMap> systemMaps() {
    Map<String, SystemMap> m = new LinkedHashMap<>();
    m.put(
        "_repositories_admin",
        new SystemMap(
            "Can perform all read, write and delete operations on the registry",
            List.of(
                "repositories/*/metadata/read",
                "repositories/*/metadata/write",
                "repositories/*/content/read",
                "repositories/*/content/write",
                "repositories/*/content/delete")));
    m.put(
        "_repositories_pull",
        new SystemMap(
            "Can pull any repository of the registry", List.of("repositories/*/content/read")));
    m.put(
        "_repositories_push",
        new SystemMap(
            "Can push to any repository of the registry",
            List.of("repositories/*/content/read", "repositories/*/content/write")));
    return Map.copyOf(m);
  }

  static boolean isSystem(String name) {
    return SYSTEM.containsKey(name.toLowerCase(Locale.ROOT));
  }

  /** Writes the system scope maps of a new registry, in {@code tx}: the create's transaction. */
  void createSystem(ResourceStore tx, ResourceId registry) {
    String now = clock.instant().toString();
    for (Map.Entry<String, SystemMap> e : SYSTEM.entrySet()) {
      ResourceId id = registry.child("scopeMaps", e.getKey());
      ObjectNode doc =
          Json.object()
              .put("id", id.value())
              .put("name", e.getKey())
              .put("type", AcrDocuments.SCOPE_MAP_TYPE);
      ObjectNode p = doc.putObject("properties");
      p.put("description", e.getValue().description())
          .put("type", "SystemDefined")
          .put("creationDate", now)
          .put("provisioningState", "Succeeded");
      ArrayNode actions = p.putArray("actions");
      e.getValue().actions().forEach(actions::add);
      tx.put(id, doc, Precondition.NONE);
    }
  }

  @Override
  public ObjectNode prepare(
      ResourceStore tx, ResourceId id, ObjectNode desired, Optional<ObjectNode> current) {
    if (isSystem(id.name())) {
      throw systemDefined(id);
    }
    ObjectNode p = Checks.object(desired, "properties", "properties");
    JsonNode actions = p.get("actions");
    if (actions == null || !actions.isArray() || actions.isEmpty()) {
      throw Checks.invalid(
          "properties.actions", "The property 'properties.actions' is required and not empty.");
    }
    for (int i = 0; i < actions.size(); i++) {
      JsonNode a = actions.get(i);
      if (!a.isTextual() || !ACTION.matcher(a.asText()).matches()) {
        throw Checks.invalid(
            "properties.actions[" + i + "]",
            "The action '"
                + a.asText()
                + "' is invalid. Actions look like repositories/<repository>/content/read,"
                + " where the repository may be '*' or end in '/*' and the action is one of"
                + " content/read, content/write, content/delete, metadata/read, metadata/write.");
      }
    }
    JsonNode description = p.get("description");
    if (description != null && !description.isNull() && !description.isTextual()) {
      throw Checks.invalid("properties.description", "The description must be a string.");
    }
    p.put("type", "UserDefined");
    if (current.isEmpty()) {
      p.put("creationDate", clock.instant().toString());
    }
    return desired;
  }

  @Override
  public void onDelete(ResourceId id, ObjectNode stored) {
    // A resource group being deleted takes the system maps with it; nobody else may.
    if (isSystem(id.name()) && !groupBeingDeleted(id)) {
      throw systemDefined(id);
    }
  }

  private boolean groupBeingDeleted(ResourceId id) {
    return id.resourceGroup()
        .flatMap(store::get)
        .map(g -> "Deleting".equals(g.body().path("properties").path("provisioningState").asText()))
        .orElse(true);
  }

  private static ArmException systemDefined(ResourceId id) {
    return ArmException.of(
            ArmErrorCode.BadRequest,
            "The scope map '"
                + id.name()
                + "' is system defined; it cannot be created, changed or deleted.")
        .withTarget("name");
  }
}
