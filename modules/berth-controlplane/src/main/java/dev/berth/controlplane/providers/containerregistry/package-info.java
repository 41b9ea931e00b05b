/**
 * The {@code Microsoft.ContainerRegistry} resource provider: {@code ContainerRegistryProvider}
 * hands the ARM layer registries (long-running), their scope maps and tokens, the registry actions
 * and {@code checkNameAvailability}. It writes the ARM documents and the secrets documents of
 * {@code dev.berth.api.acr.AcrDocuments}, which the registry module reads; it never serves the data
 * plane. The server implements its two ports: {@code LoginServers} (a new registry's login server)
 * and {@code RegistryContent} (removing a deleted registry's repositories)
 * (docs/provider-containerregistry.md).
 */
package dev.berth.controlplane.providers.containerregistry;
