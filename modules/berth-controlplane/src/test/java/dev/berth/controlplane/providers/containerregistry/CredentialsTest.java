package dev.berth.controlplane.providers.containerregistry;

import static dev.berth.controlplane.providers.containerregistry.AcrFixture.ACR;
import static dev.berth.controlplane.providers.containerregistry.AcrFixture.V;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.ResourceId;
import dev.berth.api.acr.AcrDocuments;
import dev.berth.api.secrets.SecretSlot;
import dev.berth.controlplane.support.ArmServer.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin user: listCredentials and regenerateCredential over the credentials document. */
class CredentialsTest {

  private AcrFixture acr;

  @BeforeEach
  void start() throws Exception {
    acr = new AcrFixture();
    acr.registry("myacr");
  }

  @AfterEach
  void stop() throws Exception {
    acr.close();
  }

  private JsonNode document() {
    return acr.arm
        .store
        .get(AcrDocuments.adminCredentials(ResourceId.parse(ACR + "myacr")))
        .orElseThrow()
        .body();
  }

  @Test
  void listCredentialsIs400WhileTheAdminUserIsDisabled() throws Exception {
    Reply r = acr.post(ACR + "myacr/listCredentials" + V, "owner", null);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().at("/error/message").asText()).contains("admin user is disabled");
    assertThat(r.json().at("/error/code").asText())
        .isEqualTo("UnAuthorizedForCredentialOperations");
    assertThat(r.json().at("/error/details/0/code").asText())
        .isEqualTo("UnAuthorizedForCredentialOperations");
    Reply regen =
        acr.post(ACR + "myacr/regenerateCredential" + V, "owner", "{\"name\":\"password\"}");
    assertThat(regen.status()).isEqualTo(400);
  }

  @Test
  void listCredentialsAnswersTheStoredPasswordsOnceAdminIsEnabled() throws Exception {
    acr.patch(ACR + "myacr" + V, "{\"properties\":{\"adminUserEnabled\":true}}");
    acr.settled(ACR + "myacr" + V);
    Reply r = acr.post(ACR + "myacr/listCredentials" + V, "owner", null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().path("username").asText()).isEqualTo("myacr");
    assertThat(r.json().path("passwords")).hasSize(2);
    assertThat(r.json().at("/passwords/0/name").asText()).isEqualTo("password");
    assertThat(r.json().at("/passwords/1/name").asText()).isEqualTo("password2");
    // The store keeps them sealed for this registry; the reply opens them.
    JsonNode stored = document();
    for (int i = 0; i < 2; i++) {
      String sealed = stored.at("/passwords/" + i + "/value").asText();
      String name = stored.at("/passwords/" + i + "/name").asText();
      assertThat(sealed).startsWith("sealed:v1:" + acr.sealer.keyId() + ":");
      assertThat(
              acr.sealer.open(
                  sealed, SecretSlot.adminPassword(ResourceId.parse(ACR + "myacr"), name)))
          .isEqualTo(r.json().at("/passwords/" + i + "/value").asText());
      assertThat(stored.toString())
          .doesNotContain(r.json().at("/passwords/" + i + "/value").asText());
    }
    assertThat(r.json().at("/passwords/0/value").asText())
        .hasSizeGreaterThan(30)
        .isNotEqualTo(r.json().at("/passwords/1/value").asText());
    // GET never shows them.
    assertThat(acr.arm.get(ACR + "myacr" + V, "owner").raw().body())
        .doesNotContain(r.json().at("/passwords/0/value").asText());
  }

  @Test
  void regenerateCredentialChangesOnlyTheNamedPassword() throws Exception {
    acr.patch(ACR + "myacr" + V, "{\"properties\":{\"adminUserEnabled\":true}}");
    acr.settled(ACR + "myacr" + V);
    JsonNode before = acr.post(ACR + "myacr/listCredentials" + V, "owner", null).json();
    Reply r = acr.post(ACR + "myacr/regenerateCredential" + V, "owner", "{\"name\":\"password2\"}");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().at("/passwords/0/value")).isEqualTo(before.at("/passwords/0/value"));
    assertThat(r.json().at("/passwords/1/value")).isNotEqualTo(before.at("/passwords/1/value"));
    assertThat(document().toString()).doesNotContain(r.json().at("/passwords/1/value").asText());
    assertThat(acr.post(ACR + "myacr/listCredentials" + V, "owner", null).json())
        .isEqualTo(r.json());
    Reply bad = acr.post(ACR + "myacr/regenerateCredential" + V, "owner", "{\"name\":\"pw3\"}");
    assertThat(bad.status()).isEqualTo(400);
  }

  @Test
  void listUsagesIsAnEmptyList() throws Exception {
    Reply r = acr.post(ACR + "myacr/listUsages" + V, "owner", null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().path("value").isArray()).isTrue();
  }
}
