package dev.berth.controlplane;

import static dev.berth.controlplane.support.ArmServer.SUB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.controlplane.support.ArmServer;
import dev.berth.controlplane.support.ArmServer.Reply;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The generic provider machinery over real HTTP, with a registry-like long-running type. */
class GenericResourceTest {

  private static final String RG = "/subscriptions/" + SUB + "/resourceGroups/rg1";
  private static final String ACR = RG + "/providers/Microsoft.ContainerRegistry/registries/";
  private static final String V = "?api-version=2023-07-01";
  private ArmServer arm;

  @BeforeEach
  void start() throws Exception {
    arm = new ArmServer(List.of(TestTypes.registries(), TestTypes.webhooks()));
    arm.put(
        "/subscriptions/" + SUB + "/resourcegroups/rg1?api-version=2021-04-01",
        "owner",
        "{\"location\":\"local\"}");
  }

  @AfterEach
  void stop() throws Exception {
    arm.close();
  }

  private Reply settled(String url) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              String state =
                  arm.get(url, "owner").json().at("/properties/provisioningState").asText();
              return state.equals("Succeeded") || state.equals("Failed");
            });
    try {
      return arm.get(url, "owner");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void longRunningPutIs201WithPollingHeadersThenSucceeds() throws Exception {
    Reply created =
        arm.put(
            ACR + "myacr" + V,
            "owner",
            "{\"location\":\"West Europe\",\"name\":\"ignored\",\"properties\":{\"loginServer\":\"evil.example\"}}");
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().at("/properties/provisioningState").asText()).isEqualTo("InProgress");
    assertThat(created.json().path("name").asText()).isEqualTo("myacr");
    assertThat(created.json().path("location").asText()).isEqualTo("westeurope");
    assertThat(created.json().at("/properties/loginServer").asText()).isEqualTo("myacr.acr.local");
    assertThat(created.json().at("/systemData/createdBy").asText()).isNotBlank();
    assertThat(created.header("ETag")).isEqualTo(created.json().path("etag").asText());
    String op = created.header("Azure-AsyncOperation");
    assertThat(op)
        .startsWith(
            arm.base()
                + "/subscriptions/"
                + SUB
                + "/providers/Microsoft.ContainerRegistry/locations/local/operationStatuses/")
        .endsWith(V);
    assertThat(created.header("Location")).contains("/operationResults/");
    assertThat(created.header("Retry-After")).isEqualTo("1");

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> arm.get(op, "owner").json().path("status").asText().equals("Succeeded"));
    Reply result = arm.get(created.header("Location"), "owner");
    assertThat(result.status()).isEqualTo(200);
    assertThat(result.json().at("/properties/creationDate").asText())
        .isEqualTo("2026-01-01T00:00:00Z");
    Reply read = arm.get(ACR + "MYACR" + V, "owner");
    assertThat(read.json().at("/properties/provisioningState").asText()).isEqualTo("Succeeded");
    assertThat(read.json().path("type").asText())
        .isEqualTo("Microsoft.ContainerRegistry/registries");
  }

  @Test
  void aPutThatEchoesTheGetIsANoOp200AndADifferentStateIs400() throws Exception {
    arm.put(ACR + "echoacr" + V, "owner", "{\"location\":\"local\"}");
    Reply current = settled(ACR + "echoacr" + V);
    Reply echo = arm.put(ACR + "echoacr" + V, "owner", current.json().toString());
    assertThat(echo.status()).isEqualTo(200);
    assertThat(echo.header("Azure-AsyncOperation")).isNull();
    String lying = current.json().toString().replace("\"Succeeded\"", "\"Failed\"");
    Reply refused = arm.put(ACR + "echoacr" + V, "owner", lying);
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().at("/error/code").asText()).isEqualTo("InvalidProvisioningState");
    Reply changed =
        arm.put(ACR + "echoacr" + V, "owner", "{\"location\":\"local\",\"tags\":{\"x\":\"1\"}}");
    assertThat(changed.status()).isEqualTo(200);
    assertThat(changed.header("Azure-AsyncOperation")).isNotNull();
  }

  @Test
  void failedProvisioningSurfacesInTheOperationAndTheResource() throws Exception {
    Reply created =
        arm.put(
            ACR + "failacr" + V, "owner", "{\"location\":\"local\",\"tags\":{\"fail\":\"yes\"}}");
    String op = created.header("Azure-AsyncOperation");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> arm.get(op, "owner").json().path("status").asText().equals("Failed"));
    Reply status = arm.get(op, "owner");
    assertThat(status.status()).isEqualTo(200);
    assertThat(status.json().at("/error/code").asText()).isEqualTo("Conflict");
    assertThat(status.json().at("/error/message").asText())
        .isEqualTo("Provisioning was told to fail.");
    assertThat(arm.get(created.header("Location"), "owner").status()).isEqualTo(409);
    assertThat(
            arm.get(ACR + "failacr" + V, "owner")
                .json()
                .at("/properties/provisioningState")
                .asText())
        .isEqualTo("Failed");
  }

  @Test
  void patchMergesAndAnswers202ForLongRunningTypes() throws Exception {
    arm.put(
        ACR + "patchacr" + V,
        "owner",
        "{\"location\":\"local\",\"tags\":{\"a\":\"1\"},\"properties\":{\"adminUserEnabled\":false,\"policies\":{\"x\":{\"status\":\"enabled\"}}}}");
    settled(ACR + "patchacr" + V);
    Reply patched =
        arm.send(
            "PATCH",
            ACR + "patchacr" + V,
            "owner",
            "{\"tags\":{\"b\":\"2\"},\"properties\":{\"adminUserEnabled\":true,\"policies\":{\"y\":{\"status\":\"disabled\"}}}}");
    assertThat(patched.status()).isEqualTo(202);
    assertThat(patched.header("Azure-AsyncOperation")).isNotNull();
    assertThat(patched.header("Location")).isNotNull();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> arm.get(patched.header("Location"), "owner").status() == 200);
    Reply after = arm.get(ACR + "patchacr" + V, "owner");
    assertThat(after.json().path("tags").toString()).isEqualTo("{\"b\":\"2\"}");
    assertThat(after.json().at("/properties/adminUserEnabled").asBoolean()).isTrue();
    assertThat(after.json().at("/properties/policies/x/status").asText()).isEqualTo("enabled");
    assertThat(after.json().at("/properties/policies/y/status").asText()).isEqualTo("disabled");
    Reply moved = arm.send("PATCH", ACR + "patchacr" + V, "owner", "{\"location\":\"elsewhere\"}");
    assertThat(moved.status()).isEqualTo(400);
  }

  @Test
  void getAndDeleteFollowArmsStatusCodes() throws Exception {
    Reply missing = arm.get(ACR + "nothere" + V, "owner");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json().at("/error/code").asText()).isEqualTo("ResourceNotFound");
    assertThat(missing.json().at("/error/message").asText())
        .isEqualTo(
            "The Resource 'Microsoft.ContainerRegistry/registries/nothere' under resource group 'rg1' was not found."
                + " For more details please go to https://aka.ms/ARMResourceNotFoundFix");
    Reply noGroup =
        arm.get(
            "/subscriptions/"
                + SUB
                + "/resourceGroups/nogroup/providers/Microsoft.ContainerRegistry/registries/x1234"
                + V,
            "owner");
    assertThat(noGroup.json().at("/error/code").asText()).isEqualTo("ResourceGroupNotFound");
    Reply noGroupList =
        arm.get(
            "/subscriptions/"
                + SUB
                + "/resourceGroups/nogroup/providers/Microsoft.ContainerRegistry/registries"
                + V,
            "owner");
    assertThat(noGroupList.json().at("/error/code").asText()).isEqualTo("ResourceGroupNotFound");

    assertThat(arm.send("HEAD", ACR + "nothere" + V, "owner", null).status()).isEqualTo(404);
    assertThat(arm.send("DELETE", ACR + "nothere" + V, "owner", null).status()).isEqualTo(204);
    arm.put(ACR + "delacr" + V, "owner", "{\"location\":\"local\"}");
    settled(ACR + "delacr" + V);
    assertThat(arm.send("HEAD", ACR + "delacr" + V, "owner", null).status()).isEqualTo(204);
    assertThat(
            arm.put(ACR + "delacr/webhooks/hook1" + V, "owner", "{\"properties\":{\"uri\":\"x\"}}")
                .status())
        .isEqualTo(201);
    Reply deleting = arm.send("DELETE", ACR + "delacr" + V, "owner", null);
    assertThat(deleting.status()).isEqualTo(202);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> arm.get(deleting.header("Location"), "owner").status() == 200);
    assertThat(arm.get(ACR + "delacr" + V, "owner").status()).isEqualTo(404);
    assertThat(arm.get(ACR + "delacr/webhooks/hook1" + V, "owner").status()).isEqualTo(404);
  }

  @Test
  void namesAreCheckedByTheGenericAndTheTypesRule() throws Exception {
    Reply tooShort = arm.put(ACR + "ab" + V, "owner", "{\"location\":\"local\"}");
    assertThat(tooShort.status()).isEqualTo(400);
    assertThat(tooShort.json().at("/error/code").asText()).isEqualTo("InvalidResourceName");
    assertThat(tooShort.json().at("/error/message").asText())
        .isEqualTo("Registry name 'ab' must be 5-50 alphanumerics.");
    Reply forbidden = arm.put(ACR + "abc%26def" + V, "owner", "{\"location\":\"local\"}");
    assertThat(forbidden.json().at("/error/code").asText()).isEqualTo("InvalidResourceName");
    Reply tooLong = arm.put(ACR + "a".repeat(261) + V, "owner", "{\"location\":\"local\"}");
    assertThat(tooLong.json().at("/error/code").asText()).isEqualTo("InvalidResourceName");
    Reply noLocation = arm.put(ACR + "noloc1" + V, "owner", "{}");
    assertThat(noLocation.json().at("/error/code").asText()).isEqualTo("LocationRequired");
    Reply wrongVersion =
        arm.put(ACR + "versioned" + "?api-version=2019-05-01", "owner", "{\"location\":\"local\"}");
    assertThat(wrongVersion.json().at("/error/message").asText())
        .contains("for type 'registries'", "'2022-02-01-preview, 2023-07-01'");
  }

  @Test
  void nestedResourcesActionsAndListsWork() throws Exception {
    arm.put(ACR + "listacr1" + V, "owner", "{\"location\":\"local\"}");
    arm.put(ACR + "listacr2" + V, "owner", "{\"location\":\"local\"}");
    settled(ACR + "listacr2" + V);
    Reply orphan = arm.put(ACR + "missing/webhooks/hook1" + V, "owner", "{}");
    assertThat(orphan.status()).isEqualTo(404);
    assertThat(arm.put(ACR + "listacr1/webhooks/hook1" + V, "owner", "{}").status()).isEqualTo(201);
    assertThat(arm.put(ACR + "listacr1/webhooks/hook1" + V, "owner", "{}").status()).isEqualTo(200);
    assertThat(arm.get(ACR + "listacr1/webhooks" + V, "owner").json().path("value")).hasSize(1);

    assertThat(arm.get(ACR.substring(0, ACR.length() - 1) + V, "owner").json().path("value"))
        .hasSize(2);
    String bySub =
        "/subscriptions/" + SUB + "/providers/Microsoft.ContainerRegistry/registries" + V;
    assertThat(arm.get(bySub, "owner").json().path("value")).hasSize(2);
    String generic =
        "/subscriptions/"
            + SUB
            + "/resources?$filter=resourceType%20eq%20'Microsoft.ContainerRegistry/registries'&api-version=2021-04-01";
    Reply found = arm.get(generic, "reader");
    assertThat(found.json().path("value")).hasSize(2);
    assertThat(found.json().at("/value/0/id").asText()).endsWith("/registries/listacr1");
    assertThat(found.json().at("/value/0/properties").isMissingNode()).isTrue();
    assertThat(arm.get(RG + "/resources?api-version=2021-04-01", "owner").json().path("value"))
        .hasSize(2);

    Reply creds = arm.send("POST", ACR + "listacr1/listCredentials" + V, "owner", null);
    assertThat(creds.status()).isEqualTo(200);
    assertThat(creds.json().path("username").asText()).isEqualTo("listacr1");
    assertThat(arm.send("POST", ACR + "listacr1/listCredentials" + V, "reader", null).status())
        .isEqualTo(403);
    assertThat(arm.send("POST", ACR + "listacr1/nope" + V, "owner", null).status()).isEqualTo(404);
  }
}
