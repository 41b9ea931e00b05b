package dev.berth.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ResourceId;
import dev.berth.api.acr.AcrDocuments;
import dev.berth.api.app.AppTypes;
import dev.berth.api.secrets.SecretSealer;
import dev.berth.api.secrets.SecretSlot;
import dev.berth.store.Precondition;
import dev.berth.store.Query;
import dev.berth.store.ResourceStore;
import dev.berth.store.StoredResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Every secret value the store keeps retrievable, found where {@link SecretSlot} says they live:
 * container apps' {@code properties.configuration.secrets[].value} and registries' admin passwords.
 * At start, {@link #keyIds} tells which keys sealed them (only this Berth's may have) and {@link
 * #sealClearValues} seals what a Berth from before sealing stored in clear, so that afterwards
 * every reader can refuse a clear value. Stateless; call before anything else uses the store.
 */
final class StoredSecrets {

  private StoredSecrets() {}

  /** One secret value in a document's body: the array entry holding it and its slot. */
  private record Entry(ObjectNode node, SecretSlot slot) {
    String value() {
      return node.path("value").asText();
    }
  }

  /** The ids of the keys that sealed the store's sealed values (none when nothing is sealed). */
  static TreeSet<String> keyIds(ResourceStore store) {
    TreeSet<String> ids = new TreeSet<>();
    documents(store)
        .flatMap(doc -> entries(doc.id(), doc.body()).stream())
        .map(Entry::value)
        .filter(SecretSealer::isSealed)
        .forEach(v -> ids.add(SecretSealer.keyIdOf(v).orElse("(unreadable)")));
    return ids;
  }

  /** Seals every value still in clear, in place; answers how many it sealed. */
  static int sealClearValues(ResourceStore store, SecretSealer sealer) {
    int sealed = 0;
    for (StoredResource doc : documents(store).toList()) {
      ObjectNode body = doc.body().deepCopy();
      int inDoc = 0;
      for (Entry e : entries(doc.id(), body)) {
        if (!SecretSealer.isSealed(e.value())) {
          e.node().put("value", sealer.seal(e.value(), e.slot()));
          inDoc++;
        }
      }
      if (inDoc > 0) {
        store.put(doc.id(), body, Precondition.ifMatch(doc.etag()));
        sealed += inDoc;
      }
    }
    return sealed;
  }

  /** Every container app and every registry's admin credentials document. */
  private static Stream<StoredResource> documents(ResourceStore store) {
    Stream<StoredResource> apps =
        store.stream(Query.descendants(ResourceId.root(), AppTypes.CONTAINER_APP));
    Stream<StoredResource> admins =
        store.stream(Query.descendants(ResourceId.root(), AcrDocuments.REGISTRY_TYPE))
            .toList()
            .stream()
            .map(r -> store.get(AcrDocuments.adminCredentials(r.id())))
            .flatMap(Optional::stream);
    return Stream.concat(apps.toList().stream(), admins);
  }

  private static List<Entry> entries(ResourceId id, JsonNode body) {
    boolean app = id.type().equalsIgnoreCase(AppTypes.CONTAINER_APP);
    JsonNode array =
        app
            ? body.path("properties").path("configuration").path("secrets")
            : body.path("passwords");
    List<Entry> found = new ArrayList<>();
    for (JsonNode e : array) {
      if (e instanceof ObjectNode node && node.path("value").isTextual()) {
        String name = node.path("name").asText();
        // {registry}/providers/Berth.Secrets/credentials/admin: its scope is the registry.
        SecretSlot slot =
            app
                ? SecretSlot.appSecret(id, name)
                : SecretSlot.adminPassword(id.parent().orElseThrow(), name);
        found.add(new Entry(node, slot));
      }
    }
    return found;
  }
}
