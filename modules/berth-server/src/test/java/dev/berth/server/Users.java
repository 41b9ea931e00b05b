package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

/**
 * People (Berth's local users) made through Berth's own ARM API as the bootstrap Owner, with a
 * password the test chooses and a role at a scope: how a test signs in as a person without reading
 * the first-start admin's password from a log. Not thread-safe.
 */
final class Users {

  /** A user the test made: its name, password and principal (object) id. */
  record User(String name, String password, String principalId) {}

  private final Https https;
  private final BootstrapInfo boot;
  private final String ownerToken;

  Users(Https https, BootstrapInfo boot, String ownerToken) {
    this.https = https;
    this.boot = boot;
    this.ownerToken = ownerToken;
  }

  /** A new user holding {@code roleGuid} at the subscription. */
  User withRole(String namePrefix, String roleGuid) throws Exception {
    String name = namePrefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    String password = "pw-" + UUID.randomUUID();
    var created =
        https.send(
            "PUT",
            "/providers/Berth.Identity/users/" + name + "?api-version=2025-01-01",
            ownerToken,
            "{\"properties\":{\"displayName\":\""
                + name
                + "\",\"password\":\""
                + password
                + "\"}}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String principalId = Https.json(created).path("properties").path("principalId").asText();
    String body =
        """
        {"properties":{"roleDefinitionId":"/subscriptions/%s/providers/Microsoft.Authorization/roleDefinitions/%s",
                       "principalId":"%s","principalType":"User"}}"""
            .formatted(boot.subscriptionId(), roleGuid, principalId);
    var assigned =
        https.send(
            "PUT",
            "/subscriptions/"
                + boot.subscriptionId()
                + "/providers/Microsoft.Authorization/roleAssignments/"
                + UUID.randomUUID()
                + "?api-version=2022-04-01",
            ownerToken,
            body);
    assertThat(assigned.statusCode()).as(assigned.body()).isEqualTo(201);
    return new User(name, password, principalId);
  }
}
