package dev.berth.server;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The contents of {@code bootstrap.json}: everything a first user or script needs to log in to a
 * fresh Berth — the tenant, the default subscription, the Owner service principal and its secret,
 * where the API and the token service listen, the CA to trust, and the apps' ingress ports (0: that
 * listener is off).
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
    String caFile,
    int ingressHttpsPort,
    int ingressHttpPort) {

  BootstrapInfo withEndpoints(
      String newManagementEndpoint,
      String newAuthority,
      String newCaFile,
      int newIngressHttpsPort,
      int newIngressHttpPort) {
    return new BootstrapInfo(
        tenantId,
        subscriptionId,
        clientId,
        clientSecret,
        objectId,
        newManagementEndpoint,
        newAuthority,
        newCaFile,
        newIngressHttpsPort,
        newIngressHttpPort);
  }
}
