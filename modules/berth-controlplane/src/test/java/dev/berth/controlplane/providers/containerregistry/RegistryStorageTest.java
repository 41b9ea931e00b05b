package dev.berth.controlplane.providers.containerregistry;

import static dev.berth.controlplane.providers.containerregistry.AcrFixture.ACR;
import static dev.berth.controlplane.providers.containerregistry.AcrFixture.RG;
import static dev.berth.controlplane.providers.containerregistry.AcrFixture.V;
import static dev.berth.controlplane.support.ArmServer.SUB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ResourceId;
import dev.berth.api.acr.AcrDocuments;
import dev.berth.controlplane.support.ArmServer.Reply;
import dev.berth.store.Precondition;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each registry instance's storage key (hidden, made once at creation, never reused) and the
 * removal of its content through the {@link RegistryContent} port when it, or its group, is
 * deleted.
 */
class RegistryStorageTest {

  private AcrFixture acr;

  @BeforeEach
  void start() throws Exception {
    acr = new AcrFixture();
  }

  @AfterEach
  void stop() throws Exception {
    acr.close();
  }

  private String storedKey(String name) {
    return acr.arm
        .store
        .get(ResourceId.parse(ACR + name))
        .orElseThrow()
        .body()
        .path(AcrDocuments.HIDDEN)
        .path(AcrDocuments.STORAGE_KEY)
        .asText();
  }

  private void deleted(String name) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> acr.arm.get(ACR + name + V, "owner").status() == 404);
  }

  @Test
  void eachRegistryGetsAHiddenKeyOfItsOwnThatClientsNeitherSeeNorSet() throws Exception {
    Reply created = acr.registry("myacr");
    String key = storedKey("myacr");
    assertThat(key).matches("myacr-[0-9a-f]{32}");
    assertThat(created.raw().body()).doesNotContain(key).doesNotContain("\"berth\"");
    Reply list = acr.arm.get(RG + "/providers/Microsoft.ContainerRegistry/registries" + V, "owner");
    assertThat(list.raw().body()).contains("myacr").doesNotContain(key);

    // A PUT or PATCH naming a key of its own changes nothing: the hidden field is the server's.
    String stolen = "{\"berth\":{\"storageKey\":\"otheracr\"},\"tags\":{\"a\":\"b\"}}";
    assertThat(acr.patch(ACR + "myacr" + V, stolen).status()).isEqualTo(201);
    acr.settled(ACR + "myacr" + V);
    acr.arm.put(
        ACR + "myacr" + V,
        "owner",
        "{\"location\":\"local\",\"sku\":{\"name\":\"Basic\"},\"berth\":{\"storageKey\":\"x\"}}");
    Reply updated = acr.settled(ACR + "myacr" + V);
    assertThat(updated.json().at("/sku/name").asText()).isEqualTo("Basic");
    assertThat(storedKey("myacr")).isEqualTo(key);
  }

  @Test
  void deletingARegistryRemovesItsContentAndTheNameCreatedAgainGetsANewKey() throws Exception {
    acr.registry("myacr");
    String first = storedKey("myacr");
    assertThat(acr.arm.send("DELETE", ACR + "myacr" + V, "owner", null).status()).isEqualTo(202);
    deleted("myacr");
    assertThat(acr.contentDeleted).containsExactly(first);

    acr.registry("MyAcr");
    String second = storedKey("MyAcr");
    assertThat(second).startsWith("myacr-").isNotEqualTo(first);

    // A group's delete removes the content of every registry in it.
    acr.registry("otheracr");
    String other = storedKey("otheracr");
    Reply group =
        acr.arm.send(
            "DELETE",
            "/subscriptions/" + SUB + "/resourcegroups/rg1?api-version=2021-04-01",
            "owner",
            null);
    assertThat(group.status()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(10)).until(() -> acr.contentDeleted.size() == 3);
    assertThat(acr.contentDeleted).containsExactlyInAnyOrder(first, second, other);
  }

  @Test
  void aDeleteWhoseContentCannotBeRemovedFailsAndLeavesTheRegistryWhole() throws Exception {
    acr.registry("myacr");
    String loginServer =
        acr.arm.get(ACR + "myacr" + V, "owner").json().at("/properties/loginServer").asText();
    acr.contentFails = true;
    Reply deleting = acr.arm.send("DELETE", ACR + "myacr" + V, "owner", null);
    assertThat(deleting.status()).isEqualTo(202);
    String op = deleting.header("Azure-AsyncOperation");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> acr.arm.get(op, "owner").json().path("status").asText().equals("Failed"));
    assertThat(acr.arm.get(op, "owner").json().at("/error/message").asText())
        .contains("the registry's storage is not writable");
    Reply stayed = acr.arm.get(ACR + "myacr" + V, "owner");
    assertThat(stayed.json().at("/properties/provisioningState").asText()).isEqualTo("Failed");
    assertThat(acr.loginServers.assigned()).containsKey(loginServer);
    assertThat(acr.arm.store.get(AcrDocuments.adminCredentials(ResourceId.parse(ACR + "myacr"))))
        .isPresent();

    acr.contentFails = false;
    assertThat(acr.arm.send("DELETE", ACR + "myacr" + V, "owner", null).status()).isEqualTo(202);
    deleted("myacr");
    assertThat(acr.contentDeleted).hasSize(1);
    assertThat(acr.loginServers.assigned()).doesNotContainKey(loginServer);
  }

  @Test
  void aRegistryCreatedBeforeKeysHasItsContentRemovedUnderItsLowerCaseName() throws Exception {
    acr.registry("OldAcr");
    ResourceId id = ResourceId.parse(ACR + "OldAcr");
    ObjectNode legacy = acr.arm.store.get(id).orElseThrow().body().deepCopy();
    legacy.remove(AcrDocuments.HIDDEN);
    acr.arm.store.put(id, legacy, Precondition.NONE);

    assertThat(acr.arm.send("DELETE", ACR + "OldAcr" + V, "owner", null).status()).isEqualTo(202);
    deleted("OldAcr");
    assertThat(acr.contentDeleted).containsExactly("oldacr");
  }
}
