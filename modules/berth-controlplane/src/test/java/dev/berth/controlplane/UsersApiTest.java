package dev.berth.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.ResourceId;
import dev.berth.controlplane.support.ArmServer;
import dev.berth.controlplane.support.ArmServer.Reply;
import dev.berth.controlplane.support.Fakes;
import dev.berth.identity.BuiltInRoles;
import dev.berth.identity.UserAccounts;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Berth's users over HTTP, authorized by the real RbacAuthorizer. */
class UsersApiTest {

  private static final String USERS = "/providers/Berth.Identity/users";
  private static final String V = "?api-version=2025-01-01";
  private ArmServer arm;

  @BeforeEach
  void start() throws Exception {
    arm = new ArmServer(List.of(TestTypes.registries()));
  }

  @AfterEach
  void stop() throws Exception {
    arm.close();
  }

  @Test
  void aCreatedUserShowsItsGeneratedPasswordOnceAndNeverItsHash() throws Exception {
    Reply created =
        arm.put(USERS + "/alice" + V, "owner", "{\"properties\":{\"displayName\":\"Alice\"}}");
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().path("id").asText()).isEqualTo(USERS + "/alice");
    assertThat(created.json().path("type").asText()).isEqualTo("Berth.Identity/users");
    assertThat(created.json().at("/properties/userName").asText()).isEqualTo("alice");
    assertThat(created.json().at("/properties/displayName").asText()).isEqualTo("Alice");
    assertThat(created.json().at("/properties/tenantId").asText()).isEqualTo(Fakes.TENANT);
    String principalId = created.json().at("/properties/principalId").asText();
    String password = created.json().at("/properties/password").asText();
    assertThat(password).hasSizeGreaterThanOrEqualTo(12);

    for (Reply r : List.of(arm.get(USERS + "/alice" + V, "owner"), arm.get(USERS + V, "owner"))) {
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.raw().body())
          .doesNotContain(password)
          .doesNotContain("hash")
          .doesNotContain("salt");
    }
    assertThat(arm.get(USERS + V, "owner").json().at("/value/0/properties/principalId").asText())
        .isEqualTo(principalId);

    Reply reset = arm.send("POST", USERS + "/alice/resetPassword" + V, "owner", null);
    assertThat(reset.status()).isEqualTo(200);
    assertThat(reset.json().at("/properties/password").asText())
        .isNotEqualTo(password)
        .hasSizeGreaterThanOrEqualTo(12);
    UserAccounts users = new UserAccounts(arm.store, Fakes.TENANT, Clock.systemUTC());
    assertThat(users.authenticate("alice", password)).isEmpty();
    assertThat(users.authenticate("alice", reset.json().at("/properties/password").asText()))
        .isPresent();
  }

  @Test
  void aChosenPasswordIsNotEchoedAndShortOnesAreRefused() throws Exception {
    Reply chosen =
        arm.put(USERS + "/bob" + V, "owner", "{\"properties\":{\"password\":\"long enough pw\"}}");
    assertThat(chosen.status()).isEqualTo(201);
    assertThat(chosen.json().at("/properties/password").isMissingNode()).isTrue();
    assertThat(chosen.json().at("/properties/displayName").asText()).isEqualTo("bob");

    Reply shortOne =
        arm.put(USERS + "/carol" + V, "owner", "{\"properties\":{\"password\":\"elevenchars\"}}");
    assertThat(shortOne.status()).isEqualTo(400);
    assertThat(shortOne.json().at("/error/code").asText()).isEqualTo("InvalidParameter");
    assertThat(shortOne.json().at("/error/target").asText()).isEqualTo("properties.password");
    assertThat(arm.get(USERS + "/carol" + V, "owner").status()).isEqualTo(404);

    Reply again = arm.put(USERS + "/bob" + V, "owner", "{}");
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.json().at("/error/code").asText()).isEqualTo("Conflict");
    Reply badName = arm.put(USERS + "/-x" + V, "owner", "{}");
    assertThat(badName.status()).isEqualTo(400);
    assertThat(badName.json().at("/error/code").asText()).isEqualTo("InvalidResourceName");
  }

  @Test
  void onlyAccessManagersMayCreateDeleteOrResetUsers() throws Exception {
    arm.principal("uaa", BuiltInRoles.USER_ACCESS_ADMINISTRATOR, ResourceId.root());
    arm.principal("subOwner", BuiltInRoles.OWNER, ResourceId.subscription(ArmServer.SUB));
    assertThat(arm.put(USERS + "/dave" + V, "owner", "{}").status()).isEqualTo(201);

    for (String caller : List.of("contributor", "reader", "nobody", "subOwner")) {
      for (Reply r :
          List.of(
              arm.put(USERS + "/eve" + V, caller, "{}"),
              arm.send("DELETE", USERS + "/dave" + V, caller, null),
              arm.send("POST", USERS + "/dave/resetPassword" + V, caller, null))) {
        assertThat(r.status()).as(caller).isEqualTo(403);
        assertThat(r.json().at("/error/code").asText()).as(caller).isEqualTo("AuthorizationFailed");
      }
    }
    Reply nobodyList = arm.get(USERS + V, "nobody");
    assertThat(nobodyList.status()).isEqualTo(403);
    assertThat(nobodyList.json().at("/error/code").asText()).isEqualTo("AuthorizationFailed");
    assertThat(arm.get(USERS + V, "reader").status()).isEqualTo(200);

    assertThat(arm.put(USERS + "/eve" + V, "uaa", "{}").status()).isEqualTo(201);
    assertThat(arm.send("POST", USERS + "/eve/resetPassword" + V, "uaa", null).status())
        .isEqualTo(200);
    assertThat(arm.send("DELETE", USERS + "/eve" + V, "uaa", null).status()).isEqualTo(200);
  }

  @Test
  void deletingAUserDeletesItsRoleAssignments() throws Exception {
    Reply created = arm.put(USERS + "/frank" + V, "owner", "{}");
    String principalId = created.json().at("/properties/principalId").asText();
    String ra =
        "/subscriptions/"
            + ArmServer.SUB
            + "/providers/Microsoft.Authorization/roleAssignments/00000000-0000-4000-8000-000000000091?api-version=2022-04-01";
    Reply assigned =
        arm.put(
            ra,
            "owner",
            "{\"properties\":{\"roleDefinitionId\":\"/providers/Microsoft.Authorization/roleDefinitions/"
                + BuiltInRoles.READER
                + "\",\"principalId\":\""
                + principalId
                + "\",\"principalType\":\"User\"}}");
    assertThat(assigned.status()).as(assigned.raw().body()).isEqualTo(201);

    assertThat(arm.send("DELETE", USERS + "/frank" + V, "owner", null).status()).isEqualTo(200);
    assertThat(arm.get(ra, "owner").status()).isEqualTo(404);
    assertThat(arm.send("DELETE", USERS + "/frank" + V, "owner", null).status()).isEqualTo(204);
  }
}
