package dev.berth.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.api.Principal;
import dev.berth.api.Principal.PrincipalType;
import dev.berth.api.ResourceId;
import dev.berth.store.memory.InMemoryResourceStore;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReplicaIdentityTableTest {

  static final BoundIdentity SYSTEM =
      BoundIdentity.system(
          new Principal(
              "00000000-0000-4000-8000-000000000001",
              "tenant",
              "aaaaaaaa-0000-4000-8000-000000000001",
              PrincipalType.ServicePrincipal,
              "web"));

  final InMemoryResourceStore store = new InMemoryResourceStore();
  final ReplicaIdentityTable table = new ReplicaIdentityTable(AppIdentities.of(store));
  ResourceId web;
  InetAddress replicaAddress;
  InetAddress other;

  @BeforeEach
  void apps() throws Exception {
    web = AppDocumentsFixture.app(store, "web", SYSTEM, List.of());
    replicaAddress = InetAddress.getByName("10.213.0.5");
    other = InetAddress.getByName("10.213.0.6");
  }

  private void put(String replica, String secret) {
    table.put(replica, ReplicaIdentityTable.fingerprint(secret), web, Optional.of("10.213.0.5"));
  }

  @Test
  void aHeaderFromItsReplicasAddressFindsItsAppsIdentitiesAndNothingElseDoes() {
    String secret = ReplicaIdentityTable.newSecret();
    put("web--a-1", secret);

    assertThat(table.forRequest(secret, replicaAddress)).contains(List.of(SYSTEM));
    assertThat(table.forRequest(secret, other)).isEmpty();
    assertThat(table.forRequest(secret.substring(1), replicaAddress)).isEmpty();
    assertThat(table.forRequest(null, replicaAddress)).isEmpty();
    assertThat(table.forRequest(secret, null)).isEmpty();
  }

  @Test
  void eachReplicaGetsOnlyItsOwnAppsIdentitiesEvenWhenTheAppsShareOne() throws Exception {
    BoundIdentity shared =
        BoundIdentity.userAssigned(
            new Principal(
                "00000000-0000-4000-8000-0000000000cc",
                "tenant",
                "aaaaaaaa-0000-4000-8000-0000000000cc",
                PrincipalType.ServicePrincipal,
                "shared"),
            AppDocumentsFixture.uami("shared"));
    ResourceId both = AppDocumentsFixture.app(store, "both", SYSTEM_OF_BOTH, List.of(shared));
    ResourceId none = AppDocumentsFixture.app(store, "none", null, List.of());
    String webHeader = ReplicaIdentityTable.newSecret();
    String bothHeader = ReplicaIdentityTable.newSecret();
    String noneHeader = ReplicaIdentityTable.newSecret();
    put("web--a-1", webHeader);
    table.put(
        "both--a-1", ReplicaIdentityTable.fingerprint(bothHeader), both, Optional.of("10.213.0.6"));
    table.put(
        "none--a-1", ReplicaIdentityTable.fingerprint(noneHeader), none, Optional.of("10.213.0.7"));

    assertThat(table.forRequest(webHeader, replicaAddress)).contains(List.of(SYSTEM));
    assertThat(table.forRequest(bothHeader, other)).contains(List.of(SYSTEM_OF_BOTH, shared));
    // An app without identities: the header is good, and opens none.
    assertThat(table.forRequest(noneHeader, InetAddress.getByName("10.213.0.7")))
        .contains(List.of());
    assertThat(table.forRequest(webHeader, other)).isEmpty();
    assertThat(table.forRequest(bothHeader, replicaAddress)).isEmpty();
  }

  static final BoundIdentity SYSTEM_OF_BOTH =
      BoundIdentity.system(
          new Principal(
              "00000000-0000-4000-8000-0000000000bb",
              "tenant",
              "aaaaaaaa-0000-4000-8000-0000000000bb",
              PrincipalType.ServicePrincipal,
              "both"));

  @Test
  void theFingerprintIsTheHeadersSha256AndRevealsNoneOfIt() {
    String secret = ReplicaIdentityTable.newSecret();
    String fingerprint = ReplicaIdentityTable.fingerprint(secret);

    assertThat(fingerprint).hasSize(64).matches("[0-9a-f]+").doesNotContain(secret);
    assertThat(ReplicaIdentityTable.fingerprint(secret)).isEqualTo(fingerprint);
    assertThat(secret).hasSize(43);
  }

  @Test
  void puttingAReplicaAgainRotatesItsHeader() {
    String first = ReplicaIdentityTable.newSecret();
    String second = ReplicaIdentityTable.newSecret();
    put("web--a-1", first);

    put("web--a-1", second);

    assertThat(table.forRequest(first, replicaAddress)).isEmpty();
    assertThat(table.forRequest(second, replicaAddress)).contains(List.of(SYSTEM));
  }

  @Test
  void removingAReplicaRevokesItsHeader() {
    String secret = ReplicaIdentityTable.newSecret();
    put("web--a-1", secret);

    table.remove("web--a-1");

    assertThat(table.forRequest(secret, replicaAddress)).isEmpty();
  }

  @Test
  void anAddressArrivesLaterAndOnlyForAReplicaTheTableHolds() {
    String secret = ReplicaIdentityTable.newSecret();
    table.put("web--a-1", ReplicaIdentityTable.fingerprint(secret), web, Optional.empty());
    assertThat(table.forRequest(secret, replicaAddress)).isEmpty();

    table.bindAddress("web--a-1", "10.213.0.5");
    table.bindAddress("unknown", "10.213.0.9");

    assertThat(table.forRequest(secret, replicaAddress)).contains(List.of(SYSTEM));
  }

  @Test
  void twoReplicasCannotShareAHeaderAndOnlyFingerprintsAndIpLiteralsAreTaken() {
    String secret = ReplicaIdentityTable.newSecret();
    put("web--a-1", secret);

    assertThatThrownBy(() -> put("web--a-2", secret))
        .hasMessageContaining("web--a-1 already holds this header");
    assertThatThrownBy(() -> table.put("web--a-2", secret, web, Optional.empty()))
        .hasMessageContaining("not a header fingerprint");
    assertThatThrownBy(
            () ->
                table.put(
                    "web--a-2",
                    ReplicaIdentityTable.fingerprint(ReplicaIdentityTable.newSecret()),
                    web,
                    Optional.of("replica.example")))
        .hasMessageContaining("not an IP address");
  }

  @Test
  void aUserAssignedIdentityNeedsItsResourceIdAndASystemOneHasNone() {
    Principal p = SYSTEM.principal();
    assertThatThrownBy(() -> new BoundIdentity(p, false, null))
        .hasMessageContaining("ARM resource id");
    assertThatThrownBy(() -> new BoundIdentity(p, true, "/subscriptions/x"))
        .hasMessageContaining("no resource id");
  }
}
