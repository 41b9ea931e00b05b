package dev.berth.api.acr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.api.ResourceId;
import dev.berth.api.secrets.SecretSlot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Registries' storage keys: new for each instance, never a name's, never a path. */
class AcrDocumentsTest {

  @Test
  void eachNewKeyIsTheLowerCaseNameAndARandomSuffixNoNameCanHave() {
    String first = AcrDocuments.newStorageKey("MyAcr");
    String second = AcrDocuments.newStorageKey("MyAcr");
    assertThat(first).matches("myacr-[0-9a-f]{32}").isNotEqualTo(second);
    assertThat(AcrDocuments.storageKey(first, "MyAcr")).isEqualTo(first);
  }

  @Test
  void aRegistryWithoutAKeyUsesItsLowerCaseName() {
    assertThat(AcrDocuments.storageKey(null, "MyAcr")).isEqualTo("myacr");
    assertThat(AcrDocuments.storageKey(" ", "MyAcr")).isEqualTo("myacr");
  }

  @ParameterizedTest
  @ValueSource(strings = {"..", "../other", "a/b", ".deleted-x", "MyAcr-1", "-x"})
  void aStoredKeyBerthCouldNotHaveMadeIsRefused(String stored) {
    assertThatThrownBy(() -> AcrDocuments.storageKey(stored, "myacr"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("registry myacr has a bad storage key");
  }

  @Test
  void anAdminPasswordIsSealedForTheAdminCredentialsDocument() {
    ResourceId registry = RegistryTest.ID;

    assertThat(SecretSlot.adminPassword(registry, "password").document())
        .isEqualTo(AcrDocuments.adminCredentials(registry));
  }
}
