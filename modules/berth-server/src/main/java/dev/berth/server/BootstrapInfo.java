package dev.berth.server;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The contents of {@code bootstrap.json}: everything a first user or script needs to log in to a
 * fresh Berth — the tenant, the default subscription, the Owner service principal and its secret,
 * where the API and the token service listen, and the CA to trust.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BootstrapInfo(
    String tenantId,
    String subscriptionId,
    String clientId,
    String clientSecret,
    String objectId,
    String managementEndpoint,
    String authority,
    String caFile) {

  BootstrapInfo withEndpoints(String newManagementEndpoint, String newAuthority, String newCaFile) {
    return new BootstrapInfo(
        tenantId,
        subscriptionId,
        clientId,
        clientSecret,
        objectId,
        newManagementEndpoint,
        newAuthority,
        newCaFile);
  }
}
