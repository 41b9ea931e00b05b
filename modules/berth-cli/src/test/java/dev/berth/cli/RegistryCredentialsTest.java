package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class RegistryCredentialsTest {

  @Test
  void theSecretNameIsTheServerWithoutDotsAndColonsThenTheUserLowerCased() {
    assertThat(RegistryCredentials.secretName("myacr.azurecr.io", "MyAcr"))
        .isEqualTo("myacrazurecrio-myacr");
    assertThat(RegistryCredentials.secretName("localhost:5001", "admin"))
        .isEqualTo("localhost5001-admin");
  }

  @Test
  void charactersASecretNameCannotHoldBecomeDashesAndTheEndsAreAlphanumeric() {
    assertThat(RegistryCredentials.secretName("r.example", "ci_bot@corp"))
        .isEqualTo("rexample-ci-bot-corp");
    assertThat(RegistryCredentials.secretName("r.example", "user_")).isEqualTo("rexample-user");
  }

  @Test
  void theSecretNameIsTrimmedTo253Characters() {
    String name = RegistryCredentials.secretName("r", "u".repeat(300));
    assertThat(name).hasSize(253).startsWith("r-u");
  }

  @Test
  void anIdentityAndAPasswordTogetherAreRefused() {
    assertThatThrownBy(() -> new RegistryCredentials("r:1", "system", "u", "p"))
        .isInstanceOf(CliFailure.class)
        .hasMessageContaining("not both");
  }

  @Test
  void aPasswordMayReferToAnExistingSecret() throws Exception {
    var configuration =
        new ObjectMapper().readTree("{\"secrets\":[{\"name\":\"pull\",\"value\":\"x\"}]}");
    new RegistryCredentials("r:1", null, "u", "secretref:pull").applyTo((ObjectNode) configuration);
    assertThat(configuration.at("/registries/0/passwordSecretRef").asText()).isEqualTo("pull");
    assertThat(configuration.path("secrets")).hasSize(1);
  }
}
