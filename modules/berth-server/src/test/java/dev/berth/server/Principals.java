package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.UUID;

/**
 * Service principals and role assignments through Berth's own ARM API, as the Owner makes them, for
 * ITs that need callers with a given role at a given scope. Not thread-safe.
 */
final class Principals {

  static final String OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
  static final String READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
  static final String CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c";
  static final String MANAGED_IDENTITY_OPERATOR = "f1a07417-d97a-45cb-824c-7a7467783830";

  /** A created service principal: its ids, its secret and an ARM token for it. */
  record Created(String appId, String principalId, String secret, String token) {}

  private final Https https;
  private final BootstrapInfo boot;
  private final String owner;

  Principals(Https https, BootstrapInfo boot, String ownerToken) {
    this.https = https;
    this.boot = boot;
    this.owner = ownerToken;
  }

  /** A new service principal holding {@code roleGuid} at {@code scope}, logged in to ARM. */
  Created withRole(String roleGuid, String scope) throws Exception {
    var created =
        https.send(
            "POST",
            "/providers/Berth.Identity/servicePrincipals?api-version=2025-01-01",
            owner,
            "{\"displayName\":\"sp-" + UUID.randomUUID() + "\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode p = Https.json(created).path("properties");
    String principalId = p.path("principalId").asText();
    assertThat(assign(owner, roleGuid, principalId, scope).statusCode()).isEqualTo(201);
    String appId = p.path("appId").asText();
    String secret = p.path("clientSecret").asText();
    return new Created(
        appId,
        principalId,
        secret,
        https.token(boot.tenantId(), appId, secret, boot.managementEndpoint()));
  }

  /** Assigns {@code roleGuid} to {@code principalId} at {@code scope}, as the Owner. */
  void grant(String roleGuid, String principalId, String scope) throws Exception {
    var r = assign(owner, roleGuid, principalId, scope);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
  }

  /** Assigns {@code roleGuid} with an ABAC {@code condition} (version 2.0), as the Owner. */
  void grantWithCondition(String roleGuid, String principalId, String scope, String condition)
      throws Exception {
    var r =
        assign(
            owner,
            roleGuid,
            principalId,
            scope,
            ",\"condition\":\"" + condition + "\",\"conditionVersion\":\"2.0\"");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
  }

  /** {@code PUT} of a role assignment with a fresh name, as {@code token}; the raw reply. */
  HttpResponse<String> assign(String token, String roleGuid, String principalId, String scope)
      throws Exception {
    return assign(token, roleGuid, principalId, scope, "");
  }

  /** The same, with {@code more} properties (JSON members, each after a comma). */
  private HttpResponse<String> assign(
      String token, String roleGuid, String principalId, String scope, String more)
      throws Exception {
    String body =
        """
        {"properties":{"roleDefinitionId":"/subscriptions/%s/providers/Microsoft.Authorization/roleDefinitions/%s",
                       "principalId":"%s","principalType":"ServicePrincipal"%s}}"""
            .formatted(boot.subscriptionId(), roleGuid, principalId, more);
    return https.send(
        "PUT",
        scope
            + "/providers/Microsoft.Authorization/roleAssignments/"
            + UUID.randomUUID()
            + "?api-version=2022-04-01",
        token,
        body);
  }
}
