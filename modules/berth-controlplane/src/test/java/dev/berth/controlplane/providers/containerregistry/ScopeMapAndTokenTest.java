package dev.berth.controlplane.providers.containerregistry;

import static dev.berth.controlplane.providers.containerregistry.AcrFixture.ACR;
import static dev.berth.controlplane.providers.containerregistry.AcrFixture.V;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.ResourceId;
import dev.berth.api.acr.AcrDocuments;
import dev.berth.api.acr.PasswordHashes;
import dev.berth.controlplane.support.ArmServer.Reply;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Scope maps, tokens and generateCredentials over real HTTP. */
class ScopeMapAndTokenTest {

  private static final String REG = ACR + "myacr";
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

  private Reply scopeMap(String name, String actions) throws Exception {
    return acr.arm.put(
        REG + "/scopeMaps/" + name + V,
        "owner",
        "{\"properties\":{\"description\":\"d\",\"actions\":" + actions + "}}");
  }

  private Reply token(String name, String scopeMapId) throws Exception {
    return acr.arm.put(
        REG + "/tokens/" + name + V,
        "owner",
        "{\"properties\":{\"scopeMapId\":\"" + scopeMapId + "\",\"status\":\"enabled\"}}");
  }

  @Test
  void everyRegistryHasTheThreeSystemScopeMapsWhichCannotBeChanged() throws Exception {
    Reply list = acr.arm.get(REG + "/scopeMaps" + V, "owner");
    assertThat(list.json().path("value")).hasSize(3);
    assertThat(list.json().findValuesAsText("name"))
        .containsExactlyInAnyOrder(
            "_repositories_admin", "_repositories_pull", "_repositories_push");
    Reply pull = acr.arm.get(REG + "/scopeMaps/_repositories_pull" + V, "owner");
    assertThat(pull.json().at("/properties/type").asText()).isEqualTo("SystemDefined");
    assertThat(pull.json().at("/properties/actions/0").asText())
        .isEqualTo("repositories/*/content/read");
    assertThat(scopeMap("_repositories_pull", "[\"repositories/*/content/write\"]").status())
        .isEqualTo(400);
    assertThat(
            acr.arm
                .send("DELETE", REG + "/scopeMaps/_repositories_push" + V, "owner", null)
                .status())
        .isEqualTo(400);
  }

  @Test
  void userScopeMapsTakeValidActionsOnly() throws Exception {
    Reply ok =
        scopeMap(
            "pullapi",
            "[\"repositories/api/content/read\",\"repositories/team/*/metadata/read\","
                + "\"repositories/*/content/delete\"]");
    assertThat(ok.status()).isEqualTo(201);
    assertThat(ok.json().at("/properties/type").asText()).isEqualTo("UserDefined");
    assertThat(ok.json().at("/properties/creationDate").asText()).isNotBlank();
    assertThat(ok.json().at("/properties/provisioningState").asText()).isEqualTo("Succeeded");
    for (String bad :
        new String[] {
          "[]",
          "[\"repositories/api/content/push\"]",
          "[\"repositories/api/metadata/delete\"]",
          "[\"repos/api/content/read\"]",
          "[\"repositories/a*b/content/read\"]",
          "[\"repositories/API/content/read\"]"
        }) {
      Reply r = scopeMap("badmap", bad);
      assertThat(r.status()).as(bad).isEqualTo(400);
      assertThat(r.json().at("/error/code").asText()).isEqualTo("InvalidParameter");
    }
  }

  @Test
  void aTokenNeedsAScopeMapOfTheSameRegistryAndStartsWithoutPasswords() throws Exception {
    scopeMap("pullapi", "[\"repositories/api/content/read\"]");
    assertThat(token("tok1x", REG + "/scopeMaps/nosuchmap").status()).isEqualTo(400);
    Reply created = token("tok1x", REG + "/scopeMaps/pullapi");
    assertThat(created.status()).isEqualTo(201);
    JsonNode p = created.json().path("properties");
    assertThat(p.path("scopeMapId").asText()).isEqualTo(REG + "/scopeMaps/pullapi");
    assertThat(p.path("status").asText()).isEqualTo("enabled");
    assertThat(p.at("/credentials/passwords")).isEmpty();
    assertThat(p.at("/credentials/certificates")).isEmpty();
    Reply system = token("tok2x", REG + "/scopeMaps/_repositories_pull");
    assertThat(system.status()).isEqualTo(201);
    Reply badStatus =
        acr.arm.put(
            REG + "/tokens/tok3x" + V,
            "owner",
            "{\"properties\":{\"scopeMapId\":\""
                + REG
                + "/scopeMaps/pullapi\",\"status\":\"on\"}}");
    assertThat(badStatus.status()).isEqualTo(400);
  }

  @Test
  void generateCredentialsShowsValuesOnceAndStoresOnlySaltedHashes() throws Exception {
    token("tok1x", REG + "/scopeMaps/_repositories_pull");
    String tokenId = REG + "/tokens/tok1x";
    Reply r =
        acr.post(
            REG + "/generateCredentials" + V,
            "owner",
            "{\"tokenId\":\""
                + tokenId
                + "\",\"name\":\"password1\","
                + "\"expiry\":\"2030-01-01T00:00:00+00:00\"}");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().path("username").asText()).isEqualTo("tok1x");
    assertThat(r.json().path("passwords")).hasSize(1);
    String value = r.json().at("/passwords/0/value").asText();
    assertThat(value).hasSizeGreaterThan(30);
    assertThat(r.json().at("/passwords/0/expiry").asText()).isEqualTo("2030-01-01T00:00:00Z");

    JsonNode stored =
        acr.arm
            .store
            .get(AcrDocuments.tokenPasswords(ResourceId.parse(tokenId)))
            .orElseThrow()
            .body();
    JsonNode entry = stored.at("/passwords/0");
    assertThat(entry.path("name").asText()).isEqualTo("password1");
    assertThat(entry.path("expiry").asText()).isEqualTo("2030-01-01T00:00:00Z");
    assertThat(PasswordHashes.matches(entry, value)).isTrue();
    assertThat(HexFormat.of().parseHex(entry.path("salt").asText())).hasSize(16);
    assertThat(stored.toString()).doesNotContain(value);

    Reply get = acr.arm.get(tokenId + V, "owner");
    assertThat(get.raw().body()).doesNotContain(value);
    assertThat(get.json().at("/properties/credentials/passwords/0/name").asText())
        .isEqualTo("password1");
    assertThat(get.json().at("/properties/credentials/passwords/0/creationTime").asText())
        .isNotBlank();

    Reply both =
        acr.post(REG + "/generateCredentials" + V, "owner", "{\"tokenId\":\"" + tokenId + "\"}");
    assertThat(both.json().path("passwords")).hasSize(2);
    assertThat(both.json().at("/passwords/0/value").asText()).isNotEqualTo(value);
    assertThat(
            acr.arm
                .store
                .get(AcrDocuments.tokenPasswords(ResourceId.parse(tokenId)))
                .orElseThrow()
                .body()
                .path("passwords"))
        .hasSize(2);

    Reply otherRegistry =
        acr.post(
            REG + "/generateCredentials" + V,
            "owner",
            "{\"tokenId\":\"" + ACR + "otheracr/tokens/tok1x\"}");
    assertThat(otherRegistry.status()).isEqualTo(400);
  }

  @Test
  void deletingATokenDeletesItsPasswordHashes() throws Exception {
    token("tok1x", REG + "/scopeMaps/_repositories_pull");
    String tokenId = REG + "/tokens/tok1x";
    acr.post(REG + "/generateCredentials" + V, "owner", "{\"tokenId\":\"" + tokenId + "\"}");
    assertThat(acr.arm.send("DELETE", tokenId + V, "owner", null).status()).isEqualTo(200);
    assertThat(acr.arm.store.get(AcrDocuments.tokenPasswords(ResourceId.parse(tokenId)))).isEmpty();
  }

  @Test
  void scopeMapAndTokenWritesNeedTheirOwnPermissions() throws Exception {
    Reply r =
        acr.arm.send(
            "PUT",
            REG + "/scopeMaps/readers" + V,
            "reader",
            "{\"properties\":{\"actions\":[\"repositories/*/content/read\"]}}");
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.json().at("/error/message").asText())
        .contains("Microsoft.ContainerRegistry/registries/scopeMaps/write");
    Reply gen = acr.post(REG + "/generateCredentials" + V, "reader", "{}");
    assertThat(gen.json().at("/error/message").asText())
        .contains("Microsoft.ContainerRegistry/registries/generateCredentials/action");
  }
}
