package dev.berth.controlplane;

import static dev.berth.controlplane.support.ArmServer.SUB;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.ResourceId;
import dev.berth.controlplane.support.ArmServer;
import dev.berth.controlplane.support.ArmServer.Reply;
import dev.berth.controlplane.support.Providers;
import dev.berth.identity.BuiltInRoles;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Lists as ARM serves them to a caller with a role inside the listed scope but not on it: the items
 * it may read, not a 403 (a Reader of one group runs {@code az identity list} with no {@code -g}).
 * A caller with no role inside the scope still gets 403 {@code AuthorizationFailed}. Real HTTP, the
 * real authorizer and store.
 */
class FilteredListsTest {

  private static final String SUBSCRIPTION = "/subscriptions/" + SUB;
  private static final String RG1 = SUBSCRIPTION + "/resourceGroups/rg1";
  private static final String RG2 = SUBSCRIPTION + "/resourceGroups/rg2";
  private static final String IDENTITIES =
      "/providers/Microsoft.ManagedIdentity/userAssignedIdentities";
  private static final String MI_V = "?api-version=2023-01-31";
  private static final String RG_V = "?api-version=2021-04-01";

  private static ArmServer arm;

  @BeforeAll
  static void world() throws Exception {
    arm = ArmServer.withTypes(store -> Providers.all(store, Duration.ofSeconds(1)));
    for (String rg : List.of(RG1, RG2)) {
      created(arm.put(rg + RG_V, "owner", "{\"location\":\"local\"}"));
      created(
          arm.put(
              rg + IDENTITIES + "/id-" + rg.substring(rg.length() - 3) + MI_V,
              "owner",
              "{\"location\":\"local\"}"));
    }
    arm.principal("reader1", BuiltInRoles.READER, ResourceId.parse(RG1));
  }

  @AfterAll
  static void stop() throws Exception {
    arm.close();
  }

  @Test
  void aGroupsReaderListingTheSubscriptionSeesThatGroupsResourcesOnly() throws Exception {
    assertThat(names(arm.get(SUBSCRIPTION + IDENTITIES + MI_V, "reader1")))
        .containsExactly("id-rg1");
    assertThat(names(arm.get(SUBSCRIPTION + "/resources" + RG_V, "reader1")))
        .containsExactly("id-rg1");
    assertThat(names(arm.get(SUBSCRIPTION + "/resourcegroups" + RG_V, "reader1")))
        .containsExactly("rg1");
  }

  @Test
  void theOwnerStillSeesEverything() throws Exception {
    assertThat(names(arm.get(SUBSCRIPTION + IDENTITIES + MI_V, "owner")))
        .containsExactlyInAnyOrder("id-rg1", "id-rg2");
  }

  @Test
  void aScopeWithNoRoleOfTheCallerInsideIsStillRefused() throws Exception {
    Reply r = arm.get(RG2 + IDENTITIES + MI_V, "reader1");

    assertThat(r.status()).as(r.raw().body()).isEqualTo(403);
    assertThat(r.json().at("/error/code").asText()).isEqualTo("AuthorizationFailed");
  }

  private static List<String> names(Reply r) {
    assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
    List<String> out = new ArrayList<>();
    for (JsonNode item : r.json().path("value")) {
      out.add(item.path("name").asText());
    }
    return out;
  }

  private static void created(Reply r) {
    assertThat(r.status()).as(r.raw().body()).isIn(200, 201);
  }
}
