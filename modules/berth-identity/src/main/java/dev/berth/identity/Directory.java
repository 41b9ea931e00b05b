package dev.berth.identity;

import dev.berth.api.Principal;
import java.util.List;
import java.util.Optional;

/**
 * The principals of Berth's one tenant that log in with a secret: service principals for people and
 * CI. (Managed identities get their tokens from the identity endpoint instead.) Thread-safe.
 */
public interface Directory {

  /** The tenant id every principal belongs to. */
  String tenantId();

  /**
   * Creates a service principal with a fresh secret. The secret is returned only here; Berth keeps
   * a hash of it.
   */
  ServicePrincipalCredentials createServicePrincipal(String displayName);

  /** Replaces the secret of a service principal; the old one stops working at once. */
  Optional<ServicePrincipalCredentials> resetSecret(String appId);

  /** The principal whose client id and secret these are, if they match. */
  Optional<Principal> authenticate(String clientId, String clientSecret);

  Optional<Principal> findByAppId(String appId);

  Optional<Principal> findByObjectId(String objectId);

  List<Principal> servicePrincipals();

  /**
   * Deletes a service principal and its role assignments; its tokens, and the registry refresh
   * tokens issued for it, stop being accepted.
   */
  boolean deleteServicePrincipal(String appId);

  /** A service principal and, once, its secret. */
  record ServicePrincipalCredentials(Principal principal, String clientSecret) {}
}
