package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

/**
 * What the container-app ITs share: identities, role assignments, environments and apps through the
 * ARM API, and waiting for long-running operations the way the Azure SDK does.
 */
final class AppFixture {

  static final String APP_API = "?api-version=2025-01-01";
  static final String MSI_API = "?api-version=2023-01-31";

  final RegistryFixture registry;
  final Https https;
  final String owner;

  AppFixture(RegistryFixture registry) {
    this.registry = registry;
    this.https = registry.https;
    this.owner = registry.owner;
  }

  /** A user-assigned identity; its document (with principalId and clientId). */
  JsonNode createIdentity(String group, String name) throws Exception {
    String id =
        registry.group(group)
            + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/"
            + name;
    var put = https.send("PUT", id + MSI_API, owner, "{\"location\":\"local\"}");
    assertThat(put.statusCode()).as(put.body()).isIn(200, 201);
    return Https.json(put);
  }

  /** Gives {@code principalId} the role {@code roleGuid} at {@code scope}. */
  void assignRole(String principalId, String roleGuid, String scope) throws Exception {
    var assign =
        https.send(
            "PUT",
            scope
                + "/providers/Microsoft.Authorization/roleAssignments/"
                + UUID.randomUUID()
                + "?api-version=2022-04-01",
            owner,
            "{\"properties\":{\"roleDefinitionId\":\"/subscriptions/"
                + registry.boot.subscriptionId()
                + "/providers/Microsoft.Authorization/roleDefinitions/"
                + roleGuid
                + "\",\"principalId\":\""
                + principalId
                + "\",\"principalType\":\"ServicePrincipal\"}}");
    assertThat(assign.statusCode()).as(assign.body()).isEqualTo(201);
  }

  /** Creates an environment and waits for it; its id. */
  String createEnvironment(String group, String name) throws Exception {
    String id = registry.group(group) + "/providers/Microsoft.App/managedEnvironments/" + name;
    var put = https.send("PUT", id + APP_API, owner, "{\"location\":\"local\",\"properties\":{}}");
    assertThat(put.statusCode()).as(put.body()).isIn(200, 201);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> "Succeeded".equals(get(id).at("/properties/provisioningState").asText()));
    return id;
  }

  JsonNode get(String pathAndQuery) throws Exception {
    String sep = pathAndQuery.contains("?") ? "&" : "";
    return Https.json(
        https.send(
            "GET",
            pathAndQuery + (sep.isEmpty() ? APP_API : sep + APP_API.substring(1)),
            owner,
            null));
  }

  /**
   * PUTs a container app and follows its {@code Azure-AsyncOperation} to the end.
   *
   * @return the final operation status document ({@code status}, {@code error})
   */
  JsonNode putApp(String id, String body) throws Exception {
    HttpResponse<String> put = https.send("PUT", id + APP_API, owner, body);
    assertThat(put.statusCode()).as(put.body()).isIn(200, 201);
    return awaitOperation(put, Duration.ofMillis(250));
  }

  /**
   * Polls the {@code Azure-AsyncOperation} of a long-running answer every {@code every} until it
   * ends (at most 2 minutes); the final operation status document.
   */
  JsonNode awaitOperation(HttpResponse<String> started, Duration every) {
    String operation = started.headers().firstValue("Azure-AsyncOperation").orElseThrow();
    String path = operation.substring(operation.indexOf("/subscriptions/"));
    JsonNode[] last = new JsonNode[1];
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(every)
        .until(
            () -> {
              last[0] = Https.json(https.send("GET", path, owner, null));
              return !"InProgress".equals(last[0].path("status").asText());
            });
    return last[0];
  }

  JsonNode revisions(String appId) throws Exception {
    return get(appId + "/revisions").path("value");
  }

  JsonNode replicas(String revisionId) throws Exception {
    return get(revisionId + "/replicas").path("value");
  }

  /** Waits until the app's {@code provisioningState} is the one given and returns the app. */
  JsonNode awaitApp(String appId, String provisioning) {
    JsonNode[] last = new JsonNode[1];
    await()
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              last[0] = get(appId);
              return provisioning.equals(last[0].at("/properties/provisioningState").asText());
            });
    return last[0];
  }

  /** Waits until the revision reports {@code provisioningState} and {@code runningState}. */
  JsonNode awaitRevision(String revisionId, String provisioning, String running) {
    JsonNode[] last = new JsonNode[1];
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              last[0] = get(revisionId).path("properties");
              return provisioning.equals(last[0].path("provisioningState").asText())
                  && running.equals(last[0].path("runningState").asText());
            });
    return last[0];
  }

  void deleteApp(String id) throws Exception {
    https.send("DELETE", id + APP_API, owner, null);
    await()
        .atMost(Duration.ofMinutes(1))
        .until(() -> https.send("GET", id + APP_API, owner, null).statusCode() == 404);
  }
}
