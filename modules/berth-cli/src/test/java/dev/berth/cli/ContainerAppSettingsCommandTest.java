package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.cli.CliHarness.Result;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code containerapp identity|registry|secret}: az's GET + listSecrets + PUT of the whole app. */
class ContainerAppSettingsCommandTest extends SignedInTest {

  FakeContainerApp aca;
  String uami;

  @BeforeEach
  void start() {
    aca = new FakeContainerApp(cli).serve();
    uami =
        cli.subscriptionPath()
            + "/resourceGroups/rg1/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1";
  }

  @Test
  void identityAssignPutsTheWholeAppBackWithSecretValuesAndWithoutReadOnlyFields()
      throws Exception {
    Result result =
        cli.run(
            "containerapp",
            "identity",
            "assign",
            "-n",
            "api",
            "-g",
            "rg1",
            "--system-assigned",
            "--user-assigned",
            uami);

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(cli.berth.requests("POST", aca.id + "/listSecrets")).hasSize(1);
    var put = aca.body("PUT", aca.id);
    assertThat(put.path("identity"))
        .isEqualTo(
            json(
                "{\"type\":\"SystemAssigned,UserAssigned\",\"userAssignedIdentities\":{\""
                    + uami
                    + "\":{}}}"));
    assertThat(put.at("/properties/configuration/secrets"))
        .isEqualTo(json("[{\"name\":\"db\",\"value\":\"pw\"}]"));
    assertThat(put.has("systemData")).isFalse();
    assertThat(put.path("properties").has("provisioningState")).isFalse();
    assertThat(put.path("properties").has("latestRevisionName")).isFalse();
    assertThat(put.at("/properties/configuration/ingress").has("fqdn")).isFalse();
    assertThat(put.at("/properties/template/containers/0/image").asText())
        .isEqualTo("localhost:5001/api:1");
    assertThat(result.json().path("type").asText()).isEqualTo("SystemAssigned,UserAssigned");
  }

  @Test
  void identityAssignWithoutOptionsAssignsTheSystemIdentity() {
    Result result = cli.run("containerapp", "identity", "assign", "-n", "api", "-g", "rg1");
    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(aca.body("PUT", aca.id).at("/identity/type").asText()).isEqualTo("SystemAssigned");
  }

  @Test
  void identityRemoveMatchesUserIdentitiesCaseInsensitivelyAndLeavesNone() throws Exception {
    aca.app.set(
        "identity",
        json(
            "{\"type\":\"SystemAssigned,UserAssigned\",\"principalId\":\"p\",\"tenantId\":\"t\","
                + "\"userAssignedIdentities\":{\""
                + uami.toLowerCase(Locale.ROOT)
                + "\":{\"principalId\":\"p2\",\"clientId\":\"c2\"}}}"));

    Result result =
        cli.run(
            "containerapp",
            "identity",
            "remove",
            "-n",
            "api",
            "-g",
            "rg1",
            "--system-assigned",
            "--user-assigned",
            uami);

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(aca.body("PUT", aca.id).path("identity")).isEqualTo(json("{\"type\":\"None\"}"));
  }

  @Test
  void identityRemoveOfAnUnassignedIdentityFailsBeforeAnyPut() {
    Result result =
        cli.run(
            "containerapp",
            "identity",
            "remove",
            "-n",
            "api",
            "-g",
            "rg1",
            "--user-assigned",
            uami);
    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).contains("does not have the user-assigned identity");
    assertThat(cli.berth.requests("PUT", aca.id)).isEmpty();
  }

  @Test
  void identityShowPrintsNoneForAnAppWithoutIdentity() throws Exception {
    Result result = cli.run("containerapp", "identity", "show", "-n", "api", "-g", "rg1");
    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.json()).isEqualTo(json("{\"type\":\"None\"}"));
  }

  @Test
  void registrySetWithAPasswordStoresItAsTheDerivedSecret() throws Exception {
    Result result =
        cli.run(
            "containerapp",
            "registry",
            "set",
            "-n",
            "api",
            "-g",
            "rg1",
            "--server",
            "MyAcr.Example:8445",
            "--username",
            "ci",
            "--password",
            "pw2");

    assertThat(result.exit()).as(result.err()).isZero();
    var configuration = aca.body("PUT", aca.id).at("/properties/configuration");
    assertThat(configuration.path("secrets"))
        .isEqualTo(
            json(
                "[{\"name\":\"db\",\"value\":\"pw\"},{\"name\":\"myacrexample8445-ci\",\"value\":\"pw2\"}]"));
    assertThat(configuration.path("registries"))
        .isEqualTo(
            json(
                "[{\"server\":\"MyAcr.Example:8445\",\"username\":\"ci\","
                    + "\"passwordSecretRef\":\"myacrexample8445-ci\"}]"));
    assertThat(result.json().get(0).path("server").asText()).isEqualTo("MyAcr.Example:8445");
  }

  @Test
  void registrySetWithAUserIdentityAssignsItAndReplacesTheServersEntry() throws Exception {
    ((ObjectNode) aca.app.at("/properties/configuration"))
        .set("registries", json("[{\"server\":\"localhost:5001\",\"identity\":\"system\"}]"));

    Result result =
        cli.run(
            "containerapp",
            "registry",
            "set",
            "-n",
            "api",
            "-g",
            "rg1",
            "--server",
            "LOCALHOST:5001",
            "--identity",
            uami);

    assertThat(result.exit()).as(result.err()).isZero();
    var put = aca.body("PUT", aca.id);
    assertThat(put.at("/properties/configuration/registries"))
        .isEqualTo(json("[{\"server\":\"LOCALHOST:5001\",\"identity\":\"" + uami + "\"}]"));
    assertThat(put.at("/identity/type").asText()).isEqualTo("UserAssigned");
  }

  @Test
  void registrySetNeedsCredentials() {
    Result result =
        cli.run("containerapp", "registry", "set", "-n", "api", "-g", "rg1", "--server", "r:1");
    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).contains("needs credentials");
  }

  @Test
  void registryRemoveDropsItsPasswordSecret() throws Exception {
    var configuration = (ObjectNode) aca.app.at("/properties/configuration");
    configuration.set(
        "registries",
        json("[{\"server\":\"r:1\",\"username\":\"u\",\"passwordSecretRef\":\"r1-u\"}]"));
    configuration.set("secrets", json("[{\"name\":\"db\"},{\"name\":\"r1-u\"}]"));
    aca.secretValues =
        "{\"value\":[{\"name\":\"db\",\"value\":\"pw\"},{\"name\":\"r1-u\",\"value\":\"x\"}]}";

    Result result =
        cli.run("containerapp", "registry", "remove", "-n", "api", "-g", "rg1", "--server", "r:1");

    assertThat(result.exit()).as(result.err()).isZero();
    var put = aca.body("PUT", aca.id).at("/properties/configuration");
    assertThat(put.path("registries")).isEmpty();
    assertThat(put.path("secrets")).isEqualTo(json("[{\"name\":\"db\",\"value\":\"pw\"}]"));
  }

  @Test
  void secretListShowsNamesOnlyWithoutCallingListSecrets() throws Exception {
    Result result = cli.run("containerapp", "secret", "list", "-n", "api", "-g", "rg1");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.json()).isEqualTo(json("[{\"name\":\"db\"}]"));
    assertThat(cli.berth.requests("POST", aca.id + "/listSecrets")).isEmpty();
  }

  @Test
  void secretListWithValuesAsksListSecrets() {
    Result result =
        cli.run("containerapp", "secret", "list", "-n", "api", "-g", "rg1", "--show-values");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.json().get(0).path("value").asText()).isEqualTo("pw");
    assertThat(cli.berth.requests("POST", aca.id + "/listSecrets").get(0).query())
        .isEqualTo("api-version=2025-07-01");
  }

  @Test
  void secretSetAndRemoveKeepTheOtherSecretsValues() throws Exception {
    Result set =
        cli.run(
            "containerapp",
            "secret",
            "set",
            "-n",
            "api",
            "-g",
            "rg1",
            "--secrets",
            "db=new",
            "k=v");

    assertThat(set.exit()).as(set.err()).isZero();
    assertThat(aca.body("PUT", aca.id).at("/properties/configuration/secrets"))
        .isEqualTo(json("[{\"name\":\"db\",\"value\":\"new\"},{\"name\":\"k\",\"value\":\"v\"}]"));
    assertThat(set.json()).isEqualTo(json("[{\"name\":\"db\"},{\"name\":\"k\"}]"));
  }

  @Test
  void secretRemoveOfAnUnknownSecretFails() {
    Result result =
        cli.run(
            "containerapp", "secret", "remove", "-n", "api", "-g", "rg1", "--secret-names", "nope");
    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).contains("Secret 'nope' does not exist");
  }
}
