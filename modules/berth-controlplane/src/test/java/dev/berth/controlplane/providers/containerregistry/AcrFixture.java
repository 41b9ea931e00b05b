package dev.berth.controlplane.providers.containerregistry;

import static dev.berth.controlplane.support.ArmServer.SUB;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.ResourceId;
import dev.berth.api.secrets.SecretSealer;
import dev.berth.controlplane.providers.containerregistry.internal.SequentialLoginServers;
import dev.berth.controlplane.support.ArmServer;
import dev.berth.controlplane.support.ArmServer.Reply;
import dev.berth.controlplane.support.Fakes;
import dev.berth.http.Json;
import dev.berth.store.Precondition;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An ARM server with the Microsoft.ContainerRegistry provider, a group rg1 and helpers. */
final class AcrFixture implements AutoCloseable {

  static final String SUB2 = "00000000-0000-0000-0000-00000000bbbb";
  static final String RG = "/subscriptions/" + SUB + "/resourceGroups/rg1";
  static final String ACR = RG + "/providers/Microsoft.ContainerRegistry/registries/";
  static final String V = "?api-version=2022-02-01-preview";

  final SequentialLoginServers loginServers = new SequentialLoginServers(40000);

  /** The sealer admin passwords are stored with: tests open stored values with it. */
  final SecretSealer sealer = SecretSealer.fromEncoded(SecretSealer.newEncodedKey());

  /** The storage keys whose content a registry delete removed, in order. */
  final List<String> contentDeleted = new CopyOnWriteArrayList<>();

  /** The content port: records each removal, and throws while {@link #contentFails} is set. */
  volatile boolean contentFails;

  private final RegistryContent contents =
      (id, key) -> {
        if (contentFails) {
          throw new IOException("the registry's storage is not writable");
        }
        contentDeleted.add(key);
      };

  final ArmServer arm;

  AcrFixture() throws Exception {
    arm =
        ArmServer.withTypes(
            store ->
                ContainerRegistryProvider.resourceTypes(
                    store, loginServers, contents, Clock.systemUTC(), sealer));
    group(SUB, "rg1");
  }

  void group(String sub, String rg) throws Exception {
    Reply r =
        arm.put(
            "/subscriptions/" + sub + "/resourcegroups/" + rg + "?api-version=2021-04-01",
            "owner",
            "{\"location\":\"local\"}");
    assertThat(r.status()).isIn(200, 201);
  }

  void subscription(String sub) {
    arm.store.put(
        ResourceId.subscription(sub),
        Json.object()
            .put("subscriptionId", sub)
            .put("displayName", "Other")
            .put("state", "Enabled")
            .put("tenantId", Fakes.TENANT),
        Precondition.NONE);
  }

  /** Creates a registry and waits until it has settled; returns the settled GET. */
  Reply registry(String name, String body) throws Exception {
    Reply created = arm.put(ACR + name + V, "owner", body);
    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
    return settled(ACR + name + V);
  }

  Reply registry(String name) throws Exception {
    return registry(name, "{\"location\":\"local\",\"sku\":{\"name\":\"Premium\"}}");
  }

  Reply settled(String url) throws Exception {
    return arm.settled(url);
  }

  Reply post(String path, String token, String body) throws Exception {
    return arm.send("POST", path, token, body);
  }

  Reply patch(String path, String body) throws Exception {
    return arm.send("PATCH", path, "owner", body);
  }

  @Override
  public void close() throws Exception {
    arm.close();
  }
}
