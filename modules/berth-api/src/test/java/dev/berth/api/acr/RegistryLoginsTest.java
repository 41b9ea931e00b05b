package dev.berth.api.acr;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.acr.AccessDecision.Reason;
import dev.berth.api.acr.AccessDecision.Refusal;
import dev.berth.api.secrets.SecretSealer;
import dev.berth.api.secrets.SecretSlot;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Admin and token logins, judged on the documents the control plane writes. */
class RegistryLoginsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-11-26T20:00:00Z");
  private final SecretSealer sealer = SecretSealer.fromEncoded(SecretSealer.newEncodedKey());

  private static List<Reason> reasons(AccessDecision d) {
    return d.refusals().stream().map(Refusal::reason).toList();
  }

  private ObjectNode admin(String value) {
    ObjectNode doc = JSON.createObjectNode().put("username", "myacr");
    doc.putArray("passwords").addObject().put("name", "password").put("value", value);
    return doc;
  }

  private String sealed(String password) {
    return sealer.seal(password, SecretSlot.adminPassword(RegistryTest.ID, "password"));
  }

  @Test
  void theAdminSealedPasswordLogsInWhileTheAdminUserIsEnabled() throws Exception {
    Registry enabled = RegistryTest.registry("{\"properties\":{\"adminUserEnabled\":true}}");
    Optional<JsonNode> doc = Optional.of(admin(sealed("right")));

    assertThat(RegistryLogins.admin(enabled, doc, "right", sealer).isGranted()).isTrue();
    assertThat(reasons(RegistryLogins.admin(enabled, doc, "wrong", sealer)))
        .containsExactly(Reason.WRONG_PASSWORD);
    assertThat(reasons(RegistryLogins.admin(enabled, Optional.empty(), "right", sealer)))
        .containsExactly(Reason.WRONG_PASSWORD);
  }

  @Test
  void aDisabledAdminUserIsTheFirstReasonAndAWrongPasswordTheSecond() throws Exception {
    Registry disabled = RegistryTest.registry("{}");
    Optional<JsonNode> doc = Optional.of(admin(sealed("right")));

    assertThat(reasons(RegistryLogins.admin(disabled, doc, "right", sealer)))
        .containsExactly(Reason.ADMIN_USER_DISABLED);
    AccessDecision both = RegistryLogins.admin(disabled, doc, "wrong", sealer);
    assertThat(reasons(both)).containsExactly(Reason.ADMIN_USER_DISABLED, Reason.WRONG_PASSWORD);
    assertThat(both.answer().orElseThrow().message())
        .startsWith(
            "the admin user of registry 'myacr' is disabled. Enable it with 'az acr update");
  }

  @Test
  void anAdminPasswordInClearOrSealedForAnotherRegistryMatchesNothingAndIsNamedForTheLog()
      throws Exception {
    Registry enabled = RegistryTest.registry("{\"properties\":{\"adminUserEnabled\":true}}");
    Optional<JsonNode> clear = Optional.of(admin("right"));

    assertThat(reasons(RegistryLogins.admin(enabled, clear, "right", sealer)))
        .containsExactly(Reason.WRONG_PASSWORD);
    assertThat(RegistryLogins.unreadableAdminPasswords(enabled, clear, sealer))
        .singleElement()
        .asString()
        .startsWith("password: ")
        .doesNotContain("right");
  }

  @Test
  void theAdminUsernameIsTheDocumentsElseTheRegistrysName() throws Exception {
    Registry r = RegistryTest.registry("{}");

    assertThat(RegistryLogins.adminUsername(r, Optional.of(admin("x").put("username", "Boss"))))
        .isEqualTo("Boss");
    assertThat(RegistryLogins.adminUsername(r, Optional.of(admin("x").put("username", ""))))
        .isEqualTo("myacr");
    assertThat(RegistryLogins.adminUsername(r, Optional.empty())).isEqualTo("myacr");
  }

  private static JsonNode token(String status) {
    ObjectNode doc = JSON.createObjectNode();
    doc.putObject("properties").put("status", status);
    return doc;
  }

  private static Optional<JsonNode> passwords(ObjectNode... entries) {
    ObjectNode doc = JSON.createObjectNode();
    doc.putArray("passwords").addAll(List.of(entries));
    return Optional.of(doc);
  }

  @Test
  void aTokenLogsInWithAnUnexpiredPasswordWhileEnabled() throws Exception {
    Registry r = RegistryTest.registry("{}");
    Optional<JsonNode> pw =
        passwords(PasswordHashes.entry("password1", "pw", Optional.of(NOW.plusSeconds(60))));

    assertThat(RegistryLogins.token(r, "ci", token("enabled"), pw, "pw", NOW).isGranted()).isTrue();
    assertThat(reasons(RegistryLogins.token(r, "ci", token("enabled"), pw, "nope", NOW)))
        .containsExactly(Reason.WRONG_PASSWORD);
    assertThat(reasons(RegistryLogins.token(r, "ci", token("disabled"), pw, "nope", NOW)))
        .containsExactly(Reason.TOKEN_DISABLED, Reason.WRONG_PASSWORD);
    assertThat(
            reasons(RegistryLogins.token(r, "ci", token("enabled"), Optional.empty(), "pw", NOW)))
        .containsExactly(Reason.WRONG_PASSWORD);
  }

  @Test
  void anExpiredPasswordIsRefusedAsExpiredUnlessAnotherCurrentOneMatches() throws Exception {
    Registry r = RegistryTest.registry("{}");
    ObjectNode expired = PasswordHashes.entry("password1", "pw", Optional.of(NOW));
    ObjectNode current = PasswordHashes.entry("password2", "pw", Optional.empty());

    AccessDecision d =
        RegistryLogins.token(r, "ci", token("enabled"), passwords(expired), "pw", NOW);
    assertThat(reasons(d)).containsExactly(Reason.PASSWORD_EXPIRED);
    assertThat(d.answer().orElseThrow().message())
        .isEqualTo(
            "the password of token 'ci' of registry 'myacr' has expired (password1 expired at"
                + " 2026-11-26T20:00:00Z). Generate a new one with 'az acr token credential"
                + " generate -n ci -r myacr'");
    assertThat(
            RegistryLogins.token(r, "ci", token("enabled"), passwords(expired, current), "pw", NOW)
                .isGranted())
        .isTrue();
  }

  @Test
  void aPasswordWhoseExpiryCannotBeReadIsRefusedAsExpired() throws Exception {
    Registry r = RegistryTest.registry("{}");
    ObjectNode unreadable =
        PasswordHashes.entry("password1", "pw", Optional.empty()).put("expiry", "soon");

    assertThat(
            reasons(
                RegistryLogins.token(r, "ci", token("enabled"), passwords(unreadable), "pw", NOW)))
        .containsExactly(Reason.PASSWORD_EXPIRED);
  }
}
