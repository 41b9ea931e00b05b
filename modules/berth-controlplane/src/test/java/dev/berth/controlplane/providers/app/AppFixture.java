package dev.berth.controlplane.providers.app;

import static dev.berth.controlplane.support.ArmServer.SUB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ResourceId;
import dev.berth.api.secrets.SecretSealer;
import dev.berth.controlplane.ResourceType;
import dev.berth.controlplane.providers.app.internal.SequentialOutboundAddresses;
import dev.berth.controlplane.providers.managedidentity.ManagedIdentityProvider;
import dev.berth.controlplane.support.ArmServer;
import dev.berth.controlplane.support.ArmServer.Reply;
import dev.berth.controlplane.support.Fakes;
import dev.berth.http.Json;
import dev.berth.store.Precondition;
import dev.berth.store.StoredResource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A running ARM layer with environments, identities and container apps, a group {@code rg1}, an
 * environment {@code env1} and helpers that play the reconciler on revision documents.
 */
final class AppFixture implements AutoCloseable {

  static final String RG = "/subscriptions/" + SUB + "/resourceGroups/rg1";
  static final String APPS = RG + "/providers/Microsoft.App/containerApps";
  static final String ENV = RG + "/providers/Microsoft.App/managedEnvironments/env1";
  static final String IDS = RG + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities";
  static final String V = "?api-version=2025-07-01";

  final ArmServer arm;
  final String domain;

  /** The sealer the app provider stores secrets with: tests open stored values with it. */
  final SecretSealer sealer = SecretSealer.fromEncoded(SecretSealer.newEncodedKey());

  AppFixture(Duration timeout) throws Exception {
    arm =
        ArmServer.withTypes(
            store -> {
              List<ResourceType> types = new ArrayList<>();
              types.addAll(
                  AppProvider.managedEnvironmentTypes(store, new SequentialOutboundAddresses(10)));
              types.addAll(
                  ManagedIdentityProvider.resourceTypes(store, Fakes.TENANT, Clock.systemUTC()));
              types.addAll(
                  AppProvider.containerAppTypes(
                      store, Fakes.TENANT, Clock.systemUTC(), timeout, sealer));
              return types;
            });
    Reply rg =
        arm.put(
            "/subscriptions/" + SUB + "/resourcegroups/rg1?api-version=2021-04-01",
            "owner",
            "{\"location\":\"local\"}");
    assertThat(rg.status()).isIn(200, 201);
    assertThat(arm.put(ENV + V, "owner", "{\"location\":\"local\"}").status()).isEqualTo(201);
    domain = settled(ENV + V).at("/properties/defaultDomain").asText();
  }

  AppFixture() throws Exception {
    this(Duration.ofSeconds(20));
  }

  /** A minimal valid app body: one container, in env1. */
  static ObjectNode app() {
    ObjectNode app = Json.object().put("location", "local");
    ObjectNode p = app.putObject("properties").put("environmentId", ENV);
    p.putObject("template")
        .putArray("containers")
        .addObject()
        .put("name", "api")
        .put("image", "localhost:5001/api:1");
    return app;
  }

  static ObjectNode container(ObjectNode app) {
    return (ObjectNode) app.at("/properties/template/containers/0");
  }

  static ObjectNode configuration(ObjectNode app) {
    ObjectNode p = (ObjectNode) app.get("properties");
    return p.has("configuration")
        ? (ObjectNode) p.get("configuration")
        : p.putObject("configuration");
  }

  Reply put(String name, JsonNode body) throws Exception {
    return arm.put(APPS + "/" + name + V, "owner", body.toString());
  }

  Reply get(String name) throws Exception {
    return arm.get(APPS + "/" + name + V, "owner");
  }

  /** The user-assigned identity {@code name}, created. */
  JsonNode identity(String name) throws Exception {
    Reply r =
        arm.put(IDS + "/" + name + "?api-version=2023-01-31", "owner", "{\"location\":\"local\"}");
    assertThat(r.status()).as(r.raw().body()).isIn(200, 201);
    return r.json();
  }

  /** Polls the resource until its provisioningState is terminal. */
  JsonNode settled(String url) {
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () -> {
              JsonNode j = arm.get(url, "owner").json();
              String s = j == null ? "" : j.at("/properties/provisioningState").asText();
              return s.equals("Succeeded") || s.equals("Failed");
            });
    try {
      return arm.get(url, "owner").json();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Polls an Azure-AsyncOperation URL until the operation ends; answers its status body. */
  JsonNode operation(Reply started) {
    String url = started.header("Azure-AsyncOperation");
    assertThat(url).as("Azure-AsyncOperation").isNotNull();
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> !arm.get(url, "owner").json().path("status").asText().equals("InProgress"));
    try {
      return arm.get(url, "owner").json();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  ResourceId revisionId(String app, String revision) {
    return ResourceId.parse(APPS + "/" + app + "/revisions/" + revision);
  }

  /** Plays the reconciler: sets the revision's observed state, waiting for it to exist. */
  void observe(String app, String revision, String provisioning, String running, String error) {
    ResourceId id = revisionId(app, revision);
    await().atMost(Duration.ofSeconds(5)).until(() -> arm.store.get(id).isPresent());
    StoredResource now = arm.store.get(id).orElseThrow();
    ObjectNode doc = now.body().deepCopy();
    ObjectNode p = (ObjectNode) doc.get("properties");
    p.put("provisioningState", provisioning).put("runningState", running);
    if (error != null) {
      p.put("provisioningError", error);
    }
    arm.store.put(id, doc, Precondition.ifMatch(now.etag()));
  }

  void running(String app, String revision) {
    observe(app, revision, "Provisioned", "Running", null);
  }

  @Override
  public void close() throws Exception {
    arm.close();
  }
}
