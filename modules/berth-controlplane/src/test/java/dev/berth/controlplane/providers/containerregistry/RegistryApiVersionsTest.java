package dev.berth.controlplane.providers.containerregistry;

import static dev.berth.controlplane.providers.containerregistry.AcrFixture.ACR;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.controlplane.support.ArmServer.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Microsoft.ContainerRegistry api-versions real clients send, listed here rather than read from
 * {@link ContainerRegistryProvider#API_VERSIONS}, so that dropping one from the provider fails the
 * client's line. Each is a version of the REST specs, under {@code
 * specification/containerregistry/resource-manager/Microsoft.ContainerRegistry/} of
 * Azure/azure-rest-api-specs. No Azure SDK for Java this project uses manages registries (the
 * registry SDK it uses, azure-containers-containerregistry, speaks to the data plane).
 */
class RegistryApiVersionsTest {

  private AcrFixture acr;

  @BeforeEach
  void start() throws Exception {
    acr = new AcrFixture();
    acr.registry("clients");
  }

  @AfterEach
  void stop() throws Exception {
    acr.close();
  }

  @ParameterizedTest(name = "{0} on registries/clients{1}, sent by {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # preview/2022-02-01-preview/containerregistry.json: Debian's az 2.45, its latest profile
          # (azure/cli/core/profiles/_shared.py, MGMT_CONTAINERREGISTRY): acr show, create, update,
          # credential and login, and the containerapp extension's registry look-ups through it.
          2022-02-01-preview | ''         | az 2.45 acr
          # preview/2021-08-01-preview: az 2.45's acr/_client_factory.py, cf_acr_network_rules.
          2021-08-01-preview | ''         | az 2.45 acr network-rule
          # preview/2020-11-01-preview: az 2.45's cf_acr_scope_maps, cf_acr_tokens and
          # cf_acr_token_credentials (generateCredentials).
          2020-11-01-preview | /scopeMaps | az 2.45 acr scope-map
          2020-11-01-preview | /tokens    | az 2.45 acr token
          # stable/2023-07-01: berth-cli's AcrBase.API_VERSION.
          2023-07-01         | ''         | berth acr
          2023-07-01         | /scopeMaps | berth acr scope-map
          2023-07-01         | /tokens    | berth acr token
          """)
  void everyApiVersionClientsSendIsAccepted(String version, String path, String client)
      throws Exception {
    Reply reply = acr.arm.get(ACR + "clients" + path + "?api-version=" + version, "owner");

    assertThat(reply.status()).as(client + ": " + reply.raw().body()).isEqualTo(200);
  }

  @Test
  void aVersionWithoutTokensIsRefusedForTokens() throws Exception {
    // stable/2019-05-01 has no scope maps or tokens; the registry itself it serves.
    assertThat(acr.arm.get(ACR + "clients?api-version=2019-05-01", "owner").status())
        .isEqualTo(200);
    assertThat(acr.arm.get(ACR + "clients/tokens?api-version=2019-05-01", "owner").status())
        .isEqualTo(400);
  }
}
