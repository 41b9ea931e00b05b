package dev.berth.controlplane.providers.app;

import static dev.berth.controlplane.providers.app.AppFixture.APPS;
import static dev.berth.controlplane.providers.app.AppFixture.V;
import static dev.berth.controlplane.providers.app.AppFixture.app;
import static dev.berth.controlplane.providers.app.AppFixture.configuration;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ResourceId;
import dev.berth.api.secrets.SecretSlot;
import dev.berth.controlplane.support.ArmServer.Reply;
import dev.berth.store.StoredResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** App secrets are stored sealed for their app and name; a write that repeats them changes none. */
class AppSecretsSealingTest {

  private AppFixture f;

  @BeforeEach
  void start() throws Exception {
    f = new AppFixture();
  }

  @AfterEach
  void stop() throws Exception {
    f.close();
  }

  private ObjectNode withSecret(String value) {
    ObjectNode body = app();
    configuration(body).putArray("secrets").addObject().put("name", "db").put("value", value);
    return body;
  }

  private StoredResource stored(String app) {
    return f.arm.store.get(ResourceId.parse(APPS + "/" + app)).orElseThrow();
  }

  private String storedValue(String app) {
    return stored(app).body().at("/properties/configuration/secrets/0/value").asText();
  }

  private String listed(String app) throws Exception {
    Reply r = f.arm.send("POST", APPS + "/" + app + "/listSecrets" + V, "owner", "");
    assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
    return r.json().at("/value/0/value").asText();
  }

  @Test
  void theStoreHoldsOnlyASealedValueBoundToTheAppAndTheSecret() throws Exception {
    assertThat(f.put("app1", withSecret("s3cr3t-value")).status()).isEqualTo(201);

    String sealed = storedValue("app1");
    assertThat(stored("app1").body().toString()).doesNotContain("s3cr3t-value");
    assertThat(sealed).startsWith("sealed:v1:" + f.sealer.keyId() + ":");
    assertThat(f.sealer.open(sealed, SecretSlot.appSecret(ResourceId.parse(APPS + "/app1"), "db")))
        .isEqualTo("s3cr3t-value");
    assertThat(listed("app1")).isEqualTo("s3cr3t-value");
  }

  @Test
  void aWriteThatRepeatsTheValueOrOmitsItKeepsTheSameSealedString() throws Exception {
    f.put("app1", withSecret("s3cr3t-value"));
    f.running("app1", f.get("app1").json().at("/properties/latestRevisionName").asText());
    f.settled(APPS + "/app1" + V);
    String sealed = storedValue("app1");
    String etag = stored("app1").etag();

    f.put("app1", withSecret("s3cr3t-value"));
    assertThat(storedValue("app1")).isEqualTo(sealed);
    assertThat(stored("app1").etag()).as("nothing changed, nothing stored").isEqualTo(etag);

    // az's round trip (GET without values, PUT back) and a PATCH that does not name secrets.
    f.put("app1", f.get("app1").json());
    assertThat(storedValue("app1")).isEqualTo(sealed);
    Reply patched =
        f.arm.send("PATCH", APPS + "/app1" + V, "owner", "{\"tags\":{\"team\":\"core\"}}");
    assertThat(patched.status()).as(patched.raw().body()).isIn(200, 202);
    f.settled(APPS + "/app1" + V);
    assertThat(storedValue("app1")).isEqualTo(sealed);
    assertThat(listed("app1")).isEqualTo("s3cr3t-value");

    f.put("app1", withSecret("new-value"));
    assertThat(storedValue("app1")).isNotEqualTo(sealed);
    assertThat(listed("app1")).isEqualTo("new-value");
  }

  @Test
  void aSealedValuePastedIntoAnotherAppIsOnlyText() throws Exception {
    f.put("app1", withSecret("app1-secret"));
    String sealed = storedValue("app1");

    assertThat(f.put("app2", withSecret(sealed)).status()).isEqualTo(201);

    // It does not open for app2: app2's secret is the pasted text itself, sealed again.
    assertThat(listed("app2")).isEqualTo(sealed).isNotEqualTo("app1-secret");
    assertThat(storedValue("app2")).isNotEqualTo(sealed);
  }
}
