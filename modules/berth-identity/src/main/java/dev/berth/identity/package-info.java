/**
 * Who a caller is and what it may do. It hands out Berth's Entra-compatible token service ({@code
 * TokenEndpoints}: client-credentials tokens, OIDC discovery, the JWKS, signed by {@code
 * SigningKeys} through {@code TokenIssuer}), token verification ({@code TokenVerifier}, {@code
 * JwtTokenVerifier}), the directory of service principals ({@code Directory}, {@code
 * StoreDirectory}), Azure RBAC over the stored role assignments ({@code Authorizer}, {@code
 * RbacAuthorizer}, {@code BuiltInRoles}, {@code RoleCatalog}), the managed identities of container
 * apps ({@code AppIdentities}) and the managed-identity endpoint replicas call ({@code
 * ManagedIdentityEndpoint}, which trusts the {@code ReplicaIdentityTable} the reconciler fills).
 * The control plane and the registry authenticate and authorize with it, the reconciler gets pull
 * tokens and registers replicas with it, and the server mounts its routes (docs/identity.md,
 * docs/identity-endpoint.md).
 */
package dev.berth.identity;
