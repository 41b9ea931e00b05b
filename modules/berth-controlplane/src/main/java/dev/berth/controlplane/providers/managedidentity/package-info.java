/**
 * The {@code Microsoft.ManagedIdentity} resource provider: {@code ManagedIdentityProvider} hands
 * the ARM layer the user-assigned identity type, each identity given a principal and client id once
 * at creation; {@code ManagedIdentities} lets the token verifier find a managed identity,
 * user-assigned or a container app's system-assigned one, by its principal id. The server wires
 * both (docs/provider-managedidentity.md).
 */
package dev.berth.controlplane.providers.managedidentity;
