package dev.berth.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.store.memory.InMemoryResourceStore;
import java.time.Clock;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class StoreDirectoryTest {

  final InMemoryResourceStore store = new InMemoryResourceStore();
  final StoreDirectory directory = new StoreDirectory(store, "tenant-1", Clock.systemUTC());

  @Test
  void createdServicePrincipalAuthenticatesWithItsSecretOnly() {
    var created = directory.createServicePrincipal("ci");

    assertThat(created.clientSecret()).hasSizeGreaterThanOrEqualTo(40).matches("[A-Za-z0-9_-]+");
    assertThat(created.principal().tenantId()).isEqualTo("tenant-1");
    assertThat(directory.authenticate(created.principal().appId(), created.clientSecret()))
        .contains(created.principal());
    assertThat(directory.authenticate(created.principal().appId(), created.clientSecret() + "x"))
        .isEmpty();
    assertThat(directory.authenticate("unknown-app", created.clientSecret())).isEmpty();
    assertThat(directory.authenticate("../../etc", created.clientSecret())).isEmpty();
  }

  @Test
  void storedDocumentHoldsAHashNeverTheSecret() {
    var created = directory.createServicePrincipal("ci");
    var doc = store.get(StoreDirectory.documentId(created.principal().appId())).orElseThrow();

    assertThat(doc.id().value())
        .isEqualTo("/providers/Berth.Identity/servicePrincipals/" + created.principal().appId());
    assertThat(doc.body().toString()).doesNotContain(created.clientSecret());
    assertThat(doc.body().path("secret").path("algorithm").asText()).isEqualTo("SHA-256");
    assertThat(doc.body().path("objectId").asText()).isEqualTo(created.principal().objectId());
    assertThat(doc.body().path("createdOn").asText()).isNotEmpty();
  }

  @Test
  void resetSecretRetiresTheOldOneAtOnce() {
    var created = directory.createServicePrincipal("ci");
    String appId = created.principal().appId();

    var reset = directory.resetSecret(appId).orElseThrow();

    assertThat(directory.authenticate(appId, created.clientSecret())).isEmpty();
    assertThat(directory.authenticate(appId, reset.clientSecret())).contains(created.principal());
    assertThat(directory.resetSecret("missing")).isEmpty();
  }

  @Test
  void principalsAreFoundByAppIdAndObjectIdUntilDeleted() {
    var a = directory.createServicePrincipal("a").principal();
    var b = directory.createServicePrincipal("b").principal();

    assertThat(directory.servicePrincipals()).containsExactlyInAnyOrder(a, b);
    assertThat(directory.findByAppId(a.appId())).contains(a);
    assertThat(directory.findByObjectId(b.objectId().toUpperCase(Locale.ROOT))).contains(b);

    assertThat(directory.deleteServicePrincipal(a.appId())).isTrue();
    assertThat(directory.deleteServicePrincipal(a.appId())).isFalse();
    assertThat(directory.findByObjectId(a.objectId())).isEmpty();
    assertThat(directory.servicePrincipals()).containsExactly(b);
  }
}
