package dev.berth.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.api.Principal;
import dev.berth.api.Principal.PrincipalType;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicaIdentityTableTest {

  static final BoundIdentity SYSTEM =
      BoundIdentity.system(
          new Principal("oid-1", "tenant", "app-1", PrincipalType.ServicePrincipal, "web"));

  final ReplicaIdentityTable table = new ReplicaIdentityTable();

  @Test
  void aSecretFindsItsReplicasIdentitiesAndNothingElseDoes() {
    String secret = ReplicaIdentityTable.newSecret();
    table.put("web--a-1", secret, List.of(SYSTEM));

    assertThat(table.forSecret(secret)).contains(List.of(SYSTEM));
    assertThat(table.forSecret(secret.substring(1))).isEmpty();
    assertThat(table.forSecret(null)).isEmpty();
  }

  @Test
  void puttingAReplicaAgainRotatesItsSecretAndUpdatesItsIdentities() {
    String first = ReplicaIdentityTable.newSecret();
    String second = ReplicaIdentityTable.newSecret();
    table.put("web--a-1", first, List.of(SYSTEM));

    table.put("web--a-1", second, List.of());

    assertThat(table.forSecret(first)).isEmpty();
    assertThat(table.forSecret(second)).contains(List.of());
  }

  @Test
  void removingAReplicaRevokesItsSecret() {
    String secret = ReplicaIdentityTable.newSecret();
    table.put("web--a-1", secret, List.of(SYSTEM));

    table.remove("web--a-1");

    assertThat(table.forSecret(secret)).isEmpty();
  }

  @Test
  void twoReplicasCannotShareASecretAndShortSecretsAreRefused() {
    String secret = ReplicaIdentityTable.newSecret();
    table.put("web--a-1", secret, List.of(SYSTEM));

    assertThatThrownBy(() -> table.put("web--a-2", secret, List.of()))
        .hasMessageContaining("web--a-1 already holds this secret");
    assertThatThrownBy(() -> table.put("web--a-2", "short", List.of()))
        .hasMessageContaining("at least 16 characters");
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
