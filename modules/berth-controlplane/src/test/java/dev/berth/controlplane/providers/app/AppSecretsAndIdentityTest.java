package dev.berth.controlplane.providers.app;

import static dev.berth.controlplane.providers.app.AppFixture.APPS;
import static dev.berth.controlplane.providers.app.AppFixture.V;
import static dev.berth.controlplane.providers.app.AppFixture.app;
import static dev.berth.controlplane.providers.app.AppFixture.configuration;
import static dev.berth.controlplane.providers.app.AppFixture.container;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Principal;
import dev.berth.api.ResourceId;
import dev.berth.controlplane.providers.managedidentity.ManagedIdentities;
import dev.berth.controlplane.support.ArmServer.Reply;
import dev.berth.controlplane.support.Fakes;
import dev.berth.identity.AppIdentities;
import dev.berth.identity.AppIdentities.AppIdentity;
import java.util.List;
import java.util.Locale;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Secrets never leave by GET; identities are parsed leniently and become principals. */
class AppSecretsAndIdentityTest {

  private AppFixture f;

  @BeforeEach
  void start() throws Exception {
    f = new AppFixture();
  }

  @AfterEach
  void stop() throws Exception {
    f.close();
  }

  @Test
  void secretValuesAreStrippedFromEveryReplyAndListedByListSecrets() throws Exception {
    ObjectNode body = app();
    configuration(body).putArray("secrets").addObject().put("name", "db").put("value", "s3cr3t");
    container(body).putArray("env").addObject().put("name", "DB").put("secretRef", "db");

    Reply created = f.put("app1", body);
    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
    assertThat(created.raw().body()).doesNotContain("s3cr3t");
    assertThat(f.get("app1").raw().body()).doesNotContain("s3cr3t");
    assertThat(f.arm.get(APPS + V, "owner").raw().body()).doesNotContain("s3cr3t");

    Reply listed = f.arm.send("POST", APPS + "/app1/listSecrets" + V, "owner", "");
    assertThat(listed.status()).isEqualTo(200);
    assertThat(listed.json().at("/value/0/name").asText()).isEqualTo("db");
    assertThat(listed.json().at("/value/0/value").asText()).isEqualTo("s3cr3t");

    // az's round trip: the GET (without values) comes back; the stored value stays.
    f.put("app1", f.get("app1").json());
    Reply again = f.arm.send("POST", APPS + "/app1/listSecrets" + V, "owner", "");
    assertThat(again.json().at("/value/0/value").asText()).isEqualTo("s3cr3t");
  }

  @Test
  void identityTypeIsParsedLenientlyAndWrittenCanonically() throws Exception {
    JsonNode uami = f.identity("pull-id");
    ObjectNode body = app();
    body.putObject("identity")
        .put("type", "userAssigned , systemassigned")
        .putObject("userAssignedIdentities")
        .putObject(uami.path("id").asText().toLowerCase(Locale.ROOT));
    configuration(body)
        .putArray("registries")
        .addObject()
        .put("server", "localhost:5001")
        .put("identity", "system");

    JsonNode identity = f.put("app1", body).json().path("identity");

    assertThat(identity.path("type").asText()).isEqualTo("SystemAssigned,UserAssigned");
    assertThat(identity.path("tenantId").asText()).isEqualTo(Fakes.TENANT);
    assertThat(identity.path("principalId").asText()).hasSize(36);
    JsonNode entry = identity.path("userAssignedIdentities").elements().next();
    assertThat(entry.path("principalId").asText())
        .isEqualTo(uami.at("/properties/principalId").asText());
    assertThat(entry.path("clientId").asText()).isEqualTo(uami.at("/properties/clientId").asText());
    assertThat(identity.fieldNames()).toIterable().doesNotContain("clientId");
  }

  @Test
  void theSystemIdentityIsAPrincipalUntilDroppedAndANewOneIsANewPrincipal() throws Exception {
    JsonNode uami = f.identity("pull-id");
    ObjectNode body = app();
    body.putObject("identity")
        .put("type", "SystemAssigned,UserAssigned")
        .putObject("userAssignedIdentities")
        .putObject(uami.path("id").asText());
    String principalId = f.put("app1", body).json().at("/identity/principalId").asText();
    ResourceId app = ResourceId.parse(APPS + "/app1");

    Principal p = ManagedIdentities.of(f.arm.store).byPrincipalId(principalId).orElseThrow();
    assertThat(p.displayName()).isEqualTo("app1");
    assertThat(p.tenantId()).isEqualTo(Fakes.TENANT);
    assertThat(p.appId()).hasSize(36).isNotEqualTo(principalId);
    List<AppIdentity> all = AppIdentities.of(f.arm.store).forApp(app);
    assertThat(all).hasSize(2);
    assertThat(all.get(0).systemAssigned()).isTrue();
    assertThat(all.get(0).resourceId()).isEqualTo(app);
    assertThat(all.get(0).principal()).isEqualTo(p);
    assertThat(all.get(1).clientId()).isEqualTo(uami.at("/properties/clientId").asText());
    assertThat(all.get(1).principal().displayName()).isEqualTo("pull-id");

    // A GET echoed back keeps the same principal.
    f.put("app1", f.get("app1").json());
    assertThat(f.get("app1").json().at("/identity/principalId").asText()).isEqualTo(principalId);

    ObjectNode dropped = f.get("app1").json().deepCopy();
    ((ObjectNode) dropped.get("identity")).put("type", "UserAssigned").remove("principalId");
    f.put("app1", dropped);
    assertThat(ManagedIdentities.of(f.arm.store).byPrincipalId(principalId)).isEmpty();
    assertThat(AppIdentities.of(f.arm.store).forApp(app)).hasSize(1);

    ObjectNode back = f.get("app1").json().deepCopy();
    ((ObjectNode) back.get("identity")).put("type", "SystemAssigned, UserAssigned");
    String again = f.put("app1", back).json().at("/identity/principalId").asText();
    assertThat(again).isNotEqualTo(principalId);
    assertThat(ManagedIdentities.of(f.arm.store).byPrincipalId(again)).isPresent();

    f.arm.send("DELETE", APPS + "/app1" + V, "owner", null);
    Awaitility.await()
        .until(() -> ManagedIdentities.of(f.arm.store).byPrincipalId(again).isEmpty());
    assertThat(AppIdentities.of(f.arm.store).forApp(app)).isEmpty();
  }

  @Test
  void identityChangesMakeNoRevision() throws Exception {
    Reply created = f.put("app1", app());
    String revision = created.json().at("/properties/latestRevisionName").asText();
    ObjectNode withIdentity = f.get("app1").json().deepCopy();
    withIdentity.putObject("identity").put("type", "SystemAssigned");

    Reply changed = f.put("app1", withIdentity);

    assertThat(changed.status()).isEqualTo(200);
    assertThat(changed.json().at("/properties/latestRevisionName").asText()).isEqualTo(revision);
  }
}
