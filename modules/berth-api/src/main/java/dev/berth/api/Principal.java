package dev.berth.api;

/**
 * Who is calling: a service principal, a managed identity or a user, as a token names it. {@code
 * objectId} is the id role assignments name ({@code principalId} in ARM); {@code appId} is the
 * client id a credential logs in with.
 */
public record Principal(
    String objectId, String tenantId, String appId, PrincipalType type, String displayName) {

  /**
   * The kinds of principal ARM's {@code principalType} knows. Managed identities are service
   * principals.
   */
  public enum PrincipalType {
    User,
    Group,
    ServicePrincipal,
    ForeignGroup
  }
}
