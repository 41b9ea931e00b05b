package dev.berth.reconciler.diagnosis;

/**
 * What a finding of the pull diagnosis is about, as a stable code that machines read: the {@code
 * detectors} resource, {@code berth containerapp diagnose -o json} and the back-off events carry
 * it. Declared in the order causes must be fixed (docs/pull-diagnosis.md): first what selects the
 * credential, then the identity it names, then the registry's answers in the order the registry
 * gives them (network, exchange, token), last the image itself — a later fix cannot be seen to work
 * while an earlier cause holds. Immutable.
 */
public enum CauseCode {
  /**
   * The image names a Berth registry's host without its port, or with another one: the pull went
   * where no registry of Berth's listens.
   */
  LOGIN_SERVER_PORT_WRONG,
  /** The app's registries[] entries are for other servers than the image's registry. */
  REGISTRY_SERVER_MISMATCH,
  /** No registries[] entry for the image's server, and the registry refuses anonymous pulls. */
  REGISTRY_ENTRY_MISSING,
  /** The entry's identity is neither {@code system} nor a resource id. */
  IDENTITY_REFERENCE_INVALID,
  /** A user-assigned identity the entry names that exists nowhere (and is not attached). */
  IDENTITY_NOT_FOUND,
  /** A user-assigned identity still attached to the app although its resource was deleted. */
  IDENTITY_DELETED,
  /** The entry says {@code system} but the app has no system-assigned identity. */
  SYSTEM_IDENTITY_MISSING,
  /** The entry's user-assigned identity exists but is not attached to the app. */
  IDENTITY_NOT_ATTACHED,
  /** {@code publicNetworkAccess: Disabled}. */
  PUBLIC_NETWORK_DISABLED,
  /** {@code defaultAction: Deny} and no IP rule covers the environment's outbound address. */
  ADDRESS_NOT_ALLOWED,
  /** {@code azureADAuthenticationAsArmPolicy} disabled for an identity pull. */
  ARM_AUDIENCE_DISABLED,
  /** The identity holds no role that allows pull. */
  PULL_ROLE_MISSING,
  /** A legacy role (AcrPull) on a registry in ABAC mode. */
  ROLE_NOT_HONOURED,
  /** A role's ABAC condition leaves the repository out. */
  ABAC_CONDITION_EXCLUDES,
  /** A username entry without {@code passwordSecretRef}. */
  PASSWORD_SECRET_REF_MISSING,
  /** The password secret does not open. */
  SECRET_UNREADABLE,
  /** The password secret does not exist. */
  SECRET_MISSING,
  ADMIN_USER_DISABLED,
  /** The secret holds no current admin password. */
  ADMIN_PASSWORD_WRONG,
  /** Neither the admin user nor a token has the entry's username. */
  TOKEN_MISSING,
  TOKEN_DISABLED,
  /** The secret holds a password of the token that has expired. */
  TOKEN_PASSWORD_EXPIRED,
  /** The secret holds no password of the token. */
  TOKEN_PASSWORD_WRONG,
  /** The token's scope map does not let it pull the repository. */
  SCOPE_MAP_EXCLUDES,
  /** The repository does not exist. */
  REPOSITORY_NOT_FOUND,
  /** The tag does not exist in the repository. */
  TAG_NOT_FOUND,
  /** The digest does not exist in the repository. */
  MANIFEST_NOT_FOUND,
  /** The image's registry is not Berth's: only its credentials can be suspected. */
  FOREIGN_REGISTRY_CREDENTIALS
}
