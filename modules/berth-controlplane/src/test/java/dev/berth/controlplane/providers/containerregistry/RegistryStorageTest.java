package dev.berth.controlplane.providers.containerregistry;

import static dev.berth.controlplane.providers.containerregistry.AcrFixture.ACR;
import static dev.berth.controlplane.providers.containerregistry.AcrFixture.RG;
import static dev.berth.controlplane.providers.containerregistry.AcrFixture.V;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.api.ResourceId;
import dev.berth.api.acr.AcrDocuments;
import dev.berth.controlplane.support.ArmServer.Reply;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each registry instance's storage key: hidden, made once at creation, never reused. */
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
    assertThat(acr.patch(ACR + "myacr" + V, stolen).status()).isEqualTo(202);
    acr.settled(ACR + "myacr" + V);
    acr.arm.put(
        ACR + "myacr" + V,
        "owner",
        "{\"location\":\"local\",\"sku\":{\"name\":\"Basic\"},\"berth\":{\"storageKey\":\"x\"}}");
    Reply updated = acr.settled(ACR + "myacr" + V);
    assertThat(updated.json().at("/sku/name").asText()).isEqualTo("Basic");
    assertThat(storedKey("myacr")).isEqualTo(key);
  }
}
