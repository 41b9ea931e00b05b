package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A container-apps environment gets its own loopback outbound address, and keeps it. */
class EnvironmentIT {

  @RegisterExtension static final RunningBerth BERTH = new RunningBerth();

  @Test
  void environmentsGetDistinctLoopbackAddresses() throws Exception {
    BootstrapInfo b = BERTH.bootstrap();
    Https https = new Https(BERTH.caFile(), b.managementEndpoint());
    String owner =
        https.token(b.tenantId(), b.clientId(), b.clientSecret(), b.managementEndpoint());
    String group = "/subscriptions/" + b.subscriptionId() + "/resourceGroups/env-rg";
    assertThat(
            https
                .send("PUT", group + "?api-version=2021-04-01", owner, "{\"location\":\"local\"}")
                .statusCode())
        .isIn(200, 201);
    String first =
        createEnvironment(
            https, owner, group + "/providers/Microsoft.App/managedEnvironments/env-one");
    String second =
        createEnvironment(
            https, owner, group + "/providers/Microsoft.App/managedEnvironments/env-two");
    assertThat(first).startsWith("127.0.0.");
    assertThat(second).startsWith("127.0.0.").isNotEqualTo(first);
  }

  private static String createEnvironment(Https https, String owner, String id) throws Exception {
    var put =
        https.send(
            "PUT",
            id + "?api-version=2025-01-01",
            owner,
            "{\"location\":\"local\",\"properties\":{}}");
    assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                "Succeeded"
                    .equals(
                        Https.json(https.send("GET", id + "?api-version=2025-01-01", owner, null))
                            .path("properties")
                            .path("provisioningState")
                            .asText()));
    var env =
        Https.json(https.send("GET", id + "?api-version=2025-01-01", owner, null))
            .path("properties");
    assertThat(env.path("defaultDomain").asText()).endsWith(".localhost");
    return env.path("staticIp").asText();
  }
}
