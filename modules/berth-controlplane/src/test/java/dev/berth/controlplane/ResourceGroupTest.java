package dev.berth.controlplane;

import static dev.berth.controlplane.support.ArmServer.SUB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.ResourceId;
import dev.berth.controlplane.support.ArmServer;
import dev.berth.controlplane.support.ArmServer.Reply;
import dev.berth.controlplane.support.Fakes;
import dev.berth.store.Query;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Resource groups over real HTTP: casing, conditional writes, tags, paging, and the delete LRO. */
class ResourceGroupTest {

  private static final String GROUPS = "/subscriptions/" + SUB + "/resourcegroups";
  private static final String V = "?api-version=2021-04-01";
  private static final String LOCAL = "{\"location\":\"local\"}";
  private ArmServer arm;

  @BeforeEach
  void start() throws Exception {
    arm = new ArmServer(List.of(TestTypes.registries(), TestTypes.webhooks()));
  }

  @AfterEach
  void stop() throws Exception {
    arm.close();
  }

  @Test
  void idsMatchCaseInsensitivelyAndKeepTheLatestCallersCasing() throws Exception {
    Reply created = arm.put(GROUPS + "/RG1" + V, "owner", LOCAL);
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().path("id").asText())
        .isEqualTo("/subscriptions/" + SUB + "/resourceGroups/RG1");
    assertThat(created.json().at("/properties/provisioningState").asText()).isEqualTo("Succeeded");

    Reply read = arm.get("/subscriptions/" + SUB + "/resourceGroups/rg1" + V, "owner");
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.json().path("name").asText()).isEqualTo("RG1");

    Reply recased = arm.put(GROUPS + "/Rg1" + V, "owner", LOCAL);
    assertThat(recased.status()).isEqualTo(200);
    assertThat(arm.get(GROUPS + "/RG1" + V, "owner").json().path("name").asText()).isEqualTo("Rg1");
  }

  @Test
  void anIdenticalPutIs200AndChangesNothing() throws Exception {
    assertThat(arm.put(GROUPS + "/same" + V, "owner", LOCAL).status()).isEqualTo(201);
    assertThat(arm.put(GROUPS + "/same" + V, "owner", "{\"location\":\"Local\"}").status())
        .isEqualTo(200);
    assertThat(arm.store.get(ResourceId.resourceGroup(SUB, "same")).orElseThrow().generation())
        .isEqualTo(1);
  }

  @Test
  void badNamesAreRefusedWithArmsCode() throws Exception {
    assertThat(
            arm.put(GROUPS + "/" + "a".repeat(91) + V, "owner", LOCAL)
                .json()
                .at("/error/code")
                .asText())
        .isEqualTo("InvalidResourceGroup");
    assertThat(arm.put(GROUPS + "/ends." + V, "owner", LOCAL).status()).isEqualTo(400);
    assertThat(arm.put(GROUPS + "/bad%3Cname" + V, "owner", LOCAL).status()).isEqualTo(400);
    assertThat(arm.put(GROUPS + "/ok-(name)_1.x" + V, "owner", LOCAL).status()).isEqualTo(201);
  }

  @Test
  void conditionalHeadersGuardWrites() throws Exception {
    arm.put(GROUPS + "/cond" + V, "owner", LOCAL);
    Reply again = arm.put(GROUPS + "/cond" + V, "owner", LOCAL, "If-None-Match", "*");
    assertThat(again.status()).isEqualTo(412);
    assertThat(again.json().at("/error/code").asText()).isEqualTo("PreconditionFailed");
    Reply stale = arm.put(GROUPS + "/cond" + V, "owner", LOCAL, "If-Match", "\"not-the-etag\"");
    assertThat(stale.status()).isEqualTo(412);
    assertThat(arm.put(GROUPS + "/cond" + V, "owner", LOCAL, "If-Match", "*").status())
        .isEqualTo(200);
    assertThat(arm.put(GROUPS + "/fresh" + V, "owner", LOCAL, "If-None-Match", "*").status())
        .isEqualTo(201);
  }

  @Test
  void patchReplacesTagsWholesale() throws Exception {
    arm.put(
        GROUPS + "/tagged" + V,
        "owner",
        "{\"location\":\"local\",\"tags\":{\"a\":\"1\",\"b\":\"2\"}}");
    Reply patched = arm.send("PATCH", GROUPS + "/tagged" + V, "owner", "{\"tags\":{\"c\":\"3\"}}");
    assertThat(patched.status()).isEqualTo(200);
    assertThat(patched.json().path("tags").toString()).isEqualTo("{\"c\":\"3\"}");
    assertThat(patched.json().path("location").asText()).isEqualTo("local");
  }

  @Test
  void headAnswersExistence() throws Exception {
    arm.put(GROUPS + "/here" + V, "owner", LOCAL);
    assertThat(arm.send("HEAD", GROUPS + "/here" + V, "owner", null).status()).isEqualTo(204);
    assertThat(arm.send("HEAD", GROUPS + "/gone" + V, "owner", null).status()).isEqualTo(404);
    Reply missing = arm.get(GROUPS + "/gone" + V, "owner");
    assertThat(missing.json().at("/error/code").asText()).isEqualTo("ResourceGroupNotFound");
    assertThat(missing.json().at("/error/message").asText())
        .isEqualTo("Resource group 'gone' could not be found.");
  }

  @Test
  void listsPageWithNextLinkUntilTheEnd() throws Exception {
    for (int i = 0; i < 7; i++) {
      arm.put(GROUPS + "/page" + i + V, "owner", LOCAL);
    }
    List<String> names = new ArrayList<>();
    String url = GROUPS + V + "&$top=3";
    int pages = 0;
    while (url != null) {
      Reply page = arm.get(url, "owner");
      assertThat(page.status()).isEqualTo(200);
      page.json().path("value").forEach(g -> names.add(g.path("name").asText()));
      JsonNode next = page.json().get("nextLink");
      url = next == null ? null : next.asText();
      if (url != null) {
        assertThat(url)
            .startsWith(arm.base() + "/subscriptions/")
            .contains("$skipToken=", "api-version=2021-04-01");
      }
      pages++;
    }
    assertThat(pages).isEqualTo(3);
    assertThat(names)
        .containsExactly("page0", "page1", "page2", "page3", "page4", "page5", "page6");
  }

  @Test
  void deleteIsALongRunningOperationThatRemovesEverythingInTheGroup() throws Exception {
    arm.put(GROUPS + "/doomed" + V, "owner", LOCAL);
    String registry = GROUPS + "/doomed/providers/Microsoft.ContainerRegistry/registries/acr01";
    arm.put(registry + "?api-version=2023-07-01", "owner", LOCAL);
    String assignment =
        registry
            + "/providers/Microsoft.Authorization/roleAssignments/"
            + "0b6a1f3e-4e5c-4d2b-9f00-0000000000a1?api-version=2022-04-01";
    assertThat(
            arm.put(
                    assignment,
                    "owner",
                    "{\"properties\":{\"roleDefinitionId\":\"/providers/Microsoft.Authorization/roleDefinitions/"
                        + Fakes.ACR_PULL
                        + "\",\"principalId\":\"44444444-4444-4444-4444-444444444444\"}}")
                .status())
        .isEqualTo(201);

    Reply accepted = arm.send("DELETE", GROUPS + "/doomed" + V, "owner", null);
    assertThat(accepted.status()).isEqualTo(202);
    String status = accepted.header("Azure-AsyncOperation");
    String location = accepted.header("Location");
    assertThat(status)
        .startsWith(
            arm.base()
                + "/subscriptions/"
                + SUB
                + "/providers/Microsoft.Resources/locations/local/operationStatuses/");
    assertThat(location).startsWith(arm.base()).contains("/operationResults/");
    assertThat(accepted.header("Retry-After")).isEqualTo("1");

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> arm.get(status, "owner").json().path("status").asText().equals("Succeeded"));
    Reply done = arm.get(status, "owner");
    assertThat(done.status()).isEqualTo(200);
    assertThat(done.json().path("endTime").asText()).isNotBlank();
    await().atMost(Duration.ofSeconds(10)).until(() -> arm.get(location, "owner").status() == 200);

    assertThat(arm.get(GROUPS + "/doomed" + V, "owner").status()).isEqualTo(404);
    assertThat(
            arm.store
                .list(
                    Query.descendants(
                        ResourceId.subscription(SUB), "Microsoft.ContainerRegistry/registries"))
                .items())
        .isEmpty();
    assertThat(
            arm.store
                .list(
                    Query.descendants(
                        ResourceId.subscription(SUB), "Microsoft.Authorization/roleAssignments"))
                .items())
        .isEmpty();
    assertThat(arm.send("DELETE", GROUPS + "/doomed" + V, "owner", null).status()).isEqualTo(404);
  }
}
