package dev.berth.server.ingress;

import static dev.berth.server.ingress.RouteDocs.DOMAIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.ingress.Backend;
import dev.berth.store.Precondition;
import dev.berth.store.ResourceStore;
import dev.berth.store.ResourceStores;
import dev.berth.store.StoredResource;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The table follows the store: a write is seen without a request reading the store. */
class StoredRouteTableTest {

  static void put(ResourceStore store, StoredResource doc) {
    store.put(doc.id(), doc.body(), Precondition.NONE);
  }

  @Test
  void routesAppearChangeAndGoAsDocumentsAreWritten() throws Exception {
    try (ResourceStore store = ResourceStores.open("memory:");
        StoredRouteTable table = StoredRouteTable.open(store)) {
      String host = "web." + DOMAIN;
      assertThat(table.route(host)).isEmpty();

      put(store, RouteDocs.environment());
      put(store, RouteDocs.app("web", "Single", RoutesTest.EXTERNAL, "web--v1"));
      put(store, RouteDocs.revision("web", "web--v1", RoutesTest.T1, "running"));
      put(store, RouteDocs.replica("web", "web--v1", "web--v1-0", "10.213.0.9", true));
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () ->
                  assertThat(table.route(host).orElseThrow().backends())
                      .containsExactly(new Backend("10.213.0.9", 8080)));
      assertThat(table.domains()).containsExactlyInAnyOrder(DOMAIN, "internal." + DOMAIN);

      store.delete(
          RouteDocs.replica("web", "web--v1", "web--v1-0", "", true).id(), Precondition.NONE);
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(() -> assertThat(table.route(host).orElseThrow().backends()).isEmpty());

      store.deleteTree(dev.berth.api.ResourceId.parse("/subscriptions/s1/resourceGroups/rg1"));
      await().atMost(Duration.ofSeconds(5)).until(() -> table.route(host).isEmpty());
    }
  }
}
