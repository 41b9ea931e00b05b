package dev.berth.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.api.Principal;
import dev.berth.api.ResourceId;
import dev.berth.http.Json;
import dev.berth.store.Precondition;
import dev.berth.store.memory.InMemoryResourceStore;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UserAccountsTest {

  final InMemoryResourceStore store = new InMemoryResourceStore();
  final UserAccounts users = new UserAccounts(store, "tenant-1", Clock.systemUTC());

  @Test
  void aCreatedUserSignsInWithItsGeneratedPasswordOnly() {
    var created = users.create("bob", "Bob", Optional.empty()).orElseThrow();
    String password = created.password().orElseThrow();

    assertThat(password).hasSizeGreaterThanOrEqualTo(UserAccounts.MIN_PASSWORD_LENGTH);
    assertThat(created.user().type()).isEqualTo(Principal.PrincipalType.User);
    assertThat(created.user().appId()).isEqualTo("bob");
    assertThat(users.authenticate("bob", password)).contains(created.user());
    assertThat(users.authenticate("bob", password + "x")).isEmpty();
    assertThat(users.authenticate("nobody", password)).isEmpty();
    assertThat(users.authenticate("../x", password)).isEmpty();
    assertThat(users.findByObjectId(created.user().objectId())).contains(created.user());
  }

  @Test
  void aChosenPasswordIsNotReturnedAndMustBeLongEnough() {
    var created = users.create("carol", "Carol", Optional.of("twelve chars")).orElseThrow();
    assertThat(created.password()).isEmpty();
    assertThat(users.authenticate("carol", "twelve chars")).isPresent();
    assertThatThrownBy(() -> users.create("dave", "Dave", Optional.of("eleven char")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 12");
    assertThat(users.create("carol", "Again", Optional.empty())).isEmpty();
  }

  @Test
  void theStoreHoldsAnArgon2idHashNeverThePassword() {
    var created = users.create("erin", "Erin", Optional.empty()).orElseThrow();
    var doc = store.get(UserAccounts.documentId("erin")).orElseThrow();

    assertThat(doc.id().value()).isEqualTo("/providers/Berth.Identity/users/erin");
    assertThat(doc.body().toString()).doesNotContain(created.password().orElseThrow());
    assertThat(doc.body().path("password").path("algorithm").asText()).isEqualTo("argon2id");
    assertThat(doc.body().path("password").path("memoryKiB").asInt()).isEqualTo(19 * 1024);
  }

  @Test
  void resetPasswordReplacesTheOldOne() {
    var created = users.create("frank", "Frank", Optional.empty()).orElseThrow();
    var reset = users.resetPassword("frank").orElseThrow();

    assertThat(users.authenticate("frank", created.password().orElseThrow())).isEmpty();
    assertThat(users.authenticate("frank", reset.password().orElseThrow())).isPresent();
    assertThat(users.resetPassword("nobody")).isEmpty();
  }

  @Test
  void deletingAUserDeletesItsRoleAssignments() {
    var created = users.create("gina", "Gina", Optional.empty()).orElseThrow();
    ResourceId assignment =
        ResourceId.subscription("s1").provider("Microsoft.Authorization", "roleAssignments", "a1");
    var body = Json.object();
    body.putObject("properties").put("principalId", created.user().objectId());
    store.put(assignment, body, Precondition.ABSENT);

    assertThat(users.delete("gina")).isTrue();
    assertThat(store.get(assignment)).isEmpty();
    assertThat(users.findByObjectId(created.user().objectId())).isEmpty();
    assertThat(users.delete("gina")).isFalse();
  }
}
