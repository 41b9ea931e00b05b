package dev.berth.api.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.api.ResourceId;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretSealerTest {

  static final ResourceId APP =
      ResourceId.parse(
          "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.App/containerApps/web");
  static final ResourceId OTHER_APP =
      ResourceId.parse(
          "/subscriptions/s1/resourceGroups/rg2/providers/Microsoft.App/containerApps/web");
  static final ResourceId REGISTRY =
      ResourceId.parse(
          "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.ContainerRegistry/registries/acr");

  final SecretSealer sealer = SecretSealer.fromEncoded(SecretSealer.newEncodedKey());

  @Test
  void aSealedValueOpensInItsSlotAndShowsNoneOfTheClearText() {
    SecretSlot slot = SecretSlot.appSecret(APP, "db-password");

    String sealed = sealer.seal("hunter2-correct-horse", slot);

    assertThat(sealed).startsWith("sealed:v1:" + sealer.keyId() + ":");
    assertThat(sealed).doesNotContain("hunter2").doesNotContain("horse");
    assertThat(SecretSealer.isSealed(sealed)).isTrue();
    assertThat(sealer.open(sealed, slot)).isEqualTo("hunter2-correct-horse");
    assertThat(sealer.opens(sealed, slot)).isTrue();
  }

  @Test
  void everySealOfTheSameValueDiffers() {
    SecretSlot slot = SecretSlot.appSecret(APP, "a");
    assertThat(sealer.seal("same", slot)).isNotEqualTo(sealer.seal("same", slot));
  }

  @Test
  void secretNamesCompareWithoutCase() {
    String sealed = sealer.seal("v", SecretSlot.appSecret(APP, "DB"));
    assertThat(sealer.open(sealed, SecretSlot.appSecret(APP, "db"))).isEqualTo("v");
  }

  @Test
  void aValueCopiedIntoAnotherResourceOrFieldDoesNotOpen() {
    String sealed = sealer.seal("v", SecretSlot.appSecret(APP, "a"));

    for (SecretSlot elsewhere :
        new SecretSlot[] {
          SecretSlot.appSecret(OTHER_APP, "a"),
          SecretSlot.appSecret(APP, "b"),
          SecretSlot.adminPassword(REGISTRY, "a")
        }) {
      assertThat(sealer.opens(sealed, elsewhere)).as(elsewhere.toString()).isFalse();
      assertThatThrownBy(() -> sealer.open(sealed, elsewhere))
          .isInstanceOf(SealedValueException.class)
          .hasMessageContaining("sealed for another place")
          .hasMessageNotContaining("v\"");
    }
  }

  @Test
  void anotherKeyIsNamedByItsIdAndOpensNothing() {
    SecretSealer other = SecretSealer.fromEncoded(SecretSealer.newEncodedKey());
    SecretSlot slot = SecretSlot.adminPassword(REGISTRY, "password");
    String sealed = other.seal("v", slot);

    assertThat(other.keyId()).isNotEqualTo(sealer.keyId()).hasSize(16);
    assertThat(SecretSealer.keyIdOf(sealed)).contains(other.keyId());
    assertThatThrownBy(() -> sealer.open(sealed, slot))
        .isInstanceOf(SealedValueException.class)
        .hasMessageContaining(other.keyId())
        .hasMessageContaining(sealer.keyId());
  }

  @Test
  void anAlteredValueDoesNotOpen() {
    SecretSlot slot = SecretSlot.appSecret(APP, "a");
    String sealed = sealer.seal("value", slot);
    String header = sealed.substring(0, sealed.lastIndexOf(':') + 1);
    byte[] payload = Base64.getUrlDecoder().decode(sealed.substring(header.length()));
    payload[payload.length - 1] ^= 1;
    String altered = header + Base64.getUrlEncoder().withoutPadding().encodeToString(payload);

    assertThatThrownBy(() -> sealer.open(altered, slot))
        .isInstanceOf(SealedValueException.class)
        .hasMessageContaining("altered");
    assertThatThrownBy(() -> sealer.open(header + "AAAA", slot))
        .isInstanceOf(SealedValueException.class)
        .hasMessageContaining("damaged");
  }

  @Test
  void aClearValueIsRefused() {
    SecretSlot slot = SecretSlot.appSecret(APP, "a");
    assertThat(sealer.opens("plain", slot)).isFalse();
    assertThatThrownBy(() -> sealer.open("plain", slot))
        .isInstanceOf(SealedValueException.class)
        .hasMessageContaining("is not sealed")
        .hasMessageNotContaining("plain");
    assertThatThrownBy(() -> sealer.open("sealed:v9:x:y", slot))
        .isInstanceOf(SealedValueException.class)
        .hasMessageContaining("format");
  }

  @Test
  void keysAreReadFromBase64TextAndMustBe32Bytes() {
    byte[] raw = new byte[32];
    raw[0] = 7;
    String encoded = Base64.getEncoder().encodeToString(raw);
    SecretSealer a = SecretSealer.fromEncoded("  " + encoded + "\n");
    SecretSealer b = SecretSealer.of(raw);
    SecretSealer c =
        SecretSealer.fromEncoded(Base64.getUrlEncoder().withoutPadding().encodeToString(raw));
    SecretSlot slot = SecretSlot.appSecret(APP, "a");

    assertThat(a.keyId()).isEqualTo(b.keyId()).isEqualTo(c.keyId());
    assertThat(b.open(a.seal("x", slot), slot)).isEqualTo("x");
    assertThat(a.toString()).doesNotContain(encoded);
    assertThatThrownBy(
            () -> SecretSealer.fromEncoded(Base64.getEncoder().encodeToString(new byte[16])))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32 bytes");
    assertThatThrownBy(() -> SecretSealer.fromEncoded("not base64 !"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("base64");
  }

  @Test
  void unicodeValuesRoundTrip() {
    SecretSlot slot = SecretSlot.appSecret(APP, "a");
    String value = "pässwörd ✓ " + new String(new byte[] {0x41}, StandardCharsets.UTF_8);
    assertThat(sealer.open(sealer.seal(value, slot), slot)).isEqualTo(value);
    assertThat(sealer.open(sealer.seal("", slot), slot)).isEmpty();
  }
}
