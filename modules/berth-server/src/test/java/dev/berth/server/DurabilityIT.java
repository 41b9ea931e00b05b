package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A write the API acknowledged survives kill -9 of the server. */
class DurabilityIT {

  @Test
  void acknowledgedWriteSurvivesKillMinus9(@TempDir Path dataDir) throws Exception {
    int port = BerthProcess.freePort();
    String group;
    try (BerthProcess berth = BerthProcess.up(dataDir, port)) {
      BootstrapInfo b =
          Https.JSON.readValue(
              Files.readString(dataDir.resolve("bootstrap.json")), BootstrapInfo.class);
      Https https = new Https(dataDir.resolve("tls/ca.pem"), b.managementEndpoint());
      String token =
          https.token(b.tenantId(), b.clientId(), b.clientSecret(), b.managementEndpoint());
      group = "/subscriptions/" + b.subscriptionId() + "/resourceGroups/durable";
      var put =
          https.send(
              "PUT",
              group + "?api-version=2021-04-01",
              token,
              "{\"location\":\"local\",\"tags\":{\"k\":\"v\"}}");
      assertThat(put.statusCode()).isIn(200, 201);
      berth.kill();
    }
    try (BerthProcess berth = BerthProcess.up(dataDir, port)) {
      BootstrapInfo b =
          Https.JSON.readValue(
              Files.readString(dataDir.resolve("bootstrap.json")), BootstrapInfo.class);
      Https https = new Https(dataDir.resolve("tls/ca.pem"), b.managementEndpoint());
      String token =
          https.token(b.tenantId(), b.clientId(), b.clientSecret(), b.managementEndpoint());
      var get = https.send("GET", group + "?api-version=2021-04-01", token, null);
      assertThat(get.statusCode()).isEqualTo(200);
      assertThat(Https.json(get).path("tags").path("k").asText()).isEqualTo("v");
    }
  }
}
