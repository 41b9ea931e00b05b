package dev.berth.controlplane;

import static dev.berth.controlplane.support.ArmServer.SUB;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.controlplane.support.ArmServer;
import dev.berth.controlplane.support.ArmServer.Reply;
import dev.berth.controlplane.support.OuterStoreGuard;
import dev.berth.controlplane.support.Providers;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every provider's hooks that run inside the write's transaction ({@code prepare}, {@code links})
 * read and write through the transaction they are handed, never through the store they were built
 * with: on a store whose transactions are isolated, the outer store would not see the write's own
 * documents and would keep what a rolled-back write made. Each provider's writes go through a guard
 * ({@link OuterStoreGuard}) that refuses any call on the outer store while a transaction runs on
 * the same thread.
 */
class HooksUseTheirTransactionTest {

  private static final String RG = "/subscriptions/" + SUB + "/resourceGroups/rg1";
  private static final String ACR = RG + "/providers/Microsoft.ContainerRegistry/registries/txacr";
  private static final String ACR_V = "?api-version=2023-07-01";
  private static final String UAMI =
      RG + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1";
  private static final String ENV = RG + "/providers/Microsoft.App/managedEnvironments/env1";
  private static final String APP = RG + "/providers/Microsoft.App/containerApps/app1";
  private static final String APP_V = "?api-version=2025-07-01";

  private ArmServer arm;
  private OuterStoreGuard guard;

  @BeforeEach
  void start() throws Exception {
    AtomicReference<OuterStoreGuard> made = new AtomicReference<>();
    arm =
        ArmServer.withStoreView(
            store -> {
              made.set(new OuterStoreGuard(store));
              return made.get();
            },
            store -> Providers.all(store, Duration.ofSeconds(1)));
    guard = made.get();
    ok(arm.put(RG + "?api-version=2021-04-01", "owner", "{\"location\":\"local\"}"));
  }

  @AfterEach
  void stop() throws Exception {
    arm.close();
  }

  @Test
  void registriesScopeMapsAndTokensAreWrittenInTheirTransaction() throws Exception {
    ok(
        arm.put(
            ACR + ACR_V,
            "owner",
            "{\"location\":\"local\",\"sku\":{\"name\":\"Premium\"},"
                + "\"properties\":{\"adminUserEnabled\":true}}"));
    arm.settled(ACR + ACR_V);
    ok(arm.send("PATCH", ACR + ACR_V, "owner", "{\"tags\":{\"team\":\"a\"}}"));
    arm.settled(ACR + ACR_V);
    ok(
        arm.send(
            "POST", ACR + "/regenerateCredential" + ACR_V, "owner", "{\"name\":\"password2\"}"));
    ok(
        arm.put(
            ACR + "/scopeMaps/pullapi" + ACR_V,
            "owner",
            "{\"properties\":{\"actions\":[\"repositories/api/content/read\"]}}"));
    ok(
        arm.put(
            ACR + "/tokens/token1" + ACR_V,
            "owner",
            "{\"properties\":{\"scopeMapId\":\"" + ACR + "/scopeMaps/pullapi\"}}"));
    ok(
        arm.send(
            "POST",
            ACR + "/generateCredentials" + ACR_V,
            "owner",
            "{\"tokenId\":\"" + ACR + "/tokens/token1\"}"));
    assertThat(guard.refused()).isEmpty();
  }

  @Test
  void identitiesEnvironmentsAndAppsAreWrittenInTheirTransaction() throws Exception {
    ok(arm.put(UAMI + "?api-version=2023-01-31", "owner", "{\"location\":\"local\"}"));
    ok(arm.put(ENV + APP_V, "owner", "{\"location\":\"local\"}"));
    arm.settled(ENV + APP_V);
    // A system identity, a user-assigned one, a new revision: every lookup prepare makes.
    ok(arm.put(APP + APP_V, "owner", app("SystemAssigned,UserAssigned", "api:1")));
    arm.settled(APP + APP_V);
    // Dropping the system identity deletes its role assignments, inside the write.
    ok(arm.put(APP + APP_V, "owner", app("UserAssigned", "api:2")));
    arm.settled(APP + APP_V);
    ok(arm.send("PATCH", APP + APP_V, "owner", "{\"tags\":{\"team\":\"a\"}}"));
    arm.settled(APP + APP_V);
    assertThat(guard.refused()).isEmpty();
  }

  private static String app(String identity, String image) {
    return "{\"location\":\"local\",\"identity\":{\"type\":\""
        + identity
        + "\",\"userAssignedIdentities\":{\""
        + UAMI
        + "\":{}}},\"properties\":{\"environmentId\":\""
        + ENV
        + "\",\"template\":{\"containers\":[{\"name\":\"api\",\"image\":\"localhost:5001/"
        + image
        + "\"}]}}}";
  }

  private void ok(Reply r) {
    assertThat(r.status())
        .as(r.raw().body() + " refused calls: " + guard.refused())
        .isBetween(200, 299);
  }
}
